package net.appstore.signer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.appstore.hsm.HsmSettings;
import org.junit.jupiter.api.Test;

/**
 * The recovery decision of {@link HsmMonitor}: exit for a restart only once a fresh process reaches
 * the HSM, never while it is still gone, never for a key or login the HSM refuses. The HSM here is
 * a library that cannot be loaded (permanently unavailable in this process); the probe's answer is
 * scripted.
 */
class HsmMonitorTest {

  private final HsmAvailability availability =
      new HsmAvailability(Clock.systemUTC(), Duration.ofSeconds(1));
  private final HsmConnection unreachable =
      HsmConnection.open(
          new HsmSettings(Path.of("/nonexistent/libpkcs11.so"), "gone"),
          "1234".toCharArray(),
          Duration.ofSeconds(1),
          availability);
  private final List<Integer> exits = new CopyOnWriteArrayList<>();
  private final AtomicInteger probes = new AtomicInteger();

  private HsmMonitor monitor(HsmProbe.Result probeSays) {
    return new HsmMonitor(
        unreachable,
        availability,
        () -> List.of("receipt-1"),
        labels -> {
          probes.incrementAndGet();
          return probeSays;
        },
        exits::add,
        Duration.ofMillis(100),
        Duration.ofMillis(100),
        true,
        Clock.systemUTC());
  }

  @Test
  void open_libraryUnavailableAtStart_startsUnavailableInsteadOfFailing() {
    assertThat(availability.status().state()).isEqualTo(HsmAvailability.State.UNAVAILABLE);
  }

  @Test
  void monitor_probeReachesTheHsmAgain_exitsOnceWithStatus75() {
    HsmMonitor monitor = monitor(HsmProbe.Result.HSM_WORKS);
    monitor.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
      await().pollDelay(Duration.ofMillis(500)).until(() -> true);
      assertThat(exits).containsExactly(HsmMonitor.EXIT_HSM_RECOVERED);
      assertThat(probes).hasValue(1);
    } finally {
      monitor.stop();
    }
  }

  @Test
  void monitor_probeStillFindsNoHsm_keepsProbingAndNeverExits() {
    HsmMonitor monitor = monitor(HsmProbe.Result.HSM_UNAVAILABLE);
    monitor.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> probes.get() >= 3);
      assertThat(exits).isEmpty();
      assertThat(availability.isAvailable()).isFalse();
    } finally {
      monitor.stop();
    }
  }

  @Test
  void monitor_probeFindsTheKeyRefused_noRestart() {
    HsmMonitor monitor = monitor(HsmProbe.Result.KEY_FAILURE);
    monitor.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> probes.get() >= 2);
      assertThat(exits).isEmpty();
    } finally {
      monitor.stop();
    }
  }

  @Test
  void monitor_loginRefusedAtStart_neverProbesOrRestarts() {
    HsmAvailability refused = new HsmAvailability(Clock.systemUTC(), Duration.ofSeconds(1));
    refused.markKeyFailure("login refused: WRONG_PIN");
    HsmMonitor monitor =
        new HsmMonitor(
            unreachable,
            refused,
            List::of,
            labels -> {
              probes.incrementAndGet();
              return HsmProbe.Result.HSM_WORKS;
            },
            exits::add,
            Duration.ofMillis(50),
            Duration.ofMillis(50),
            true,
            Clock.systemUTC());
    monitor.start();
    try {
      await().pollDelay(Duration.ofMillis(500)).until(() -> true);
      assertThat(probes).hasValue(0);
      assertThat(exits).isEmpty();
    } finally {
      monitor.stop();
    }
  }
}
