package net.appstore.signer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import java.security.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.appstore.receipt.jose.SigningException;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.testing.SoftwareKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead and time bound around HSM calls (F13: never wait on a hung HSM). The HSM call is
 * replaced by a call that hangs or fails, around a software key; time bounds here are the
 * configured ones, generous against scheduling noise.
 */
class HsmSignerTest {

  private static final Duration CALL_TIMEOUT = Duration.ofMillis(300);
  private static final Duration MAX_WAIT = Duration.ofMillis(50);

  private static ActiveKey key;
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger suspicions = new AtomicInteger();
  private HsmAvailability availability;
  private ExecutorService workers;
  private MetricRegistry metrics;
  private HsmSigner signer;

  @BeforeAll
  static void key() throws Exception {
    key = SoftwareKeys.activeKey("software-1", "https://store.example");
  }

  @BeforeEach
  void signer() {
    availability = new HsmAvailability(Clock.systemUTC(), Duration.ofSeconds(5));
    availability.onSuspicion(suspicions::incrementAndGet);
    workers = Executors.newFixedThreadPool(2);
    metrics = new MetricRegistry();
    signer =
        new HsmSigner(
            availability,
            2,
            MAX_WAIT,
            CALL_TIMEOUT,
            Duration.ofSeconds(5),
            workers,
            new SignatureMetrics(metrics));
  }

  @AfterEach
  void releaseHungCalls() {
    release.countDown();
    workers.shutdownNow();
  }

  private String hang() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "late";
  }

  @Test
  void sign_workingHsm_returnsTheSignature() {
    assertThat(signer.sign(key, s -> "signed")).isEqualTo("signed");
    assertThat(metrics.timer("signer.hsm.sign").getCount()).isEqualTo(1);
  }

  @Test
  void start_signatureNeverAwaited_slotReleasedWhenTheCallReturns() {
    for (int i = 0; i < 2; i++) {
      signer.start(key, s -> "dropped");
    }
    // Each call hands its slot back when its signature has returned, awaited or not.
    await().atMost(Duration.ofSeconds(5)).until(() -> signer.freeSlots() == 2);

    // Both slots come back: two signatures at once are still admitted.
    HsmSigner.Running first = signer.start(key, s -> "first");
    HsmSigner.Running second = signer.start(key, s -> "second");
    assertThat(first.await()).isEqualTo("first");
    assertThat(second.await()).isEqualTo("second");
  }

  @Test
  void start_callHangsAndIsAwaitedLate_503AndHsmMarkedUnavailable() throws Exception {
    HsmSigner.Running running = signer.start(key, s -> hang());
    Thread.sleep(CALL_TIMEOUT.toMillis() + 50);

    assertThatThrownBy(running::await).isInstanceOf(ServiceUnavailableException.class);
    assertThat(availability.status().state()).isEqualTo(HsmAvailability.State.UNAVAILABLE);
  }

  @Test
  void sign_hsmCallHangs_503AfterTheCallTimeoutAndHsmMarkedUnavailable() {
    assertThatThrownBy(() -> signer.sign(key, s -> hang()))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo("HSM_UNAVAILABLE"));

    assertThat(availability.status().state()).isEqualTo(HsmAvailability.State.UNAVAILABLE);
    assertThat(suspicions).hasValue(1);
    assertThat(metrics.counter("signer.signatures.receipt.hsm_timeout").getCount()).isOne();
  }

  @Test
  void sign_whileHsmUnavailable_refusedWithoutCallingIt() {
    availability.markUnavailable("token gone");
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> signer.sign(key, s -> "x" + calls.incrementAndGet()))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(calls).hasValue(0);
  }

  @Test
  void sign_everySlotHeldByHungCalls_refusedAsBusyAfterMaxWait() throws Exception {
    ExecutorService requests = Executors.newFixedThreadPool(2);
    CountDownLatch started = new CountDownLatch(2);
    List<Future<?>> givenUp = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        givenUp.add(
            requests.submit(
                () -> {
                  try {
                    signer.sign(
                        key,
                        s -> {
                          started.countDown();
                          return hang();
                        });
                  } catch (ServiceUnavailableException expected) {
                    // the requests give up; their HSM calls keep hanging
                  }
                }));
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      // Both requests have timed out (and marked the HSM suspect) before it is marked available.
      for (Future<?> request : givenUp) {
        request.get(10, TimeUnit.SECONDS);
      }
      availability.markAvailable(); // the canary would say so if only signatures hung

      assertThatThrownBy(() -> signer.sign(key, s -> "never"))
          .isInstanceOfSatisfying(
              ServiceUnavailableException.class, e -> assertThat(e.reason()).isEqualTo("HSM_BUSY"));
    } finally {
      requests.shutdownNow();
    }
  }

  @Test
  void sign_hsmFailsTheCall_503AndCanaryAskedToCheck() {
    assertThatThrownBy(
            () ->
                signer.sign(
                    key,
                    s -> {
                      throw new SigningException(
                          "failed", new ProviderException("CKR_DEVICE_REMOVED"));
                    }))
        .isInstanceOf(ServiceUnavailableException.class);

    assertThat(suspicions).hasValue(1);
    assertThat(metrics.counter("signer.signatures.receipt.hsm_failure").getCount()).isOne();
  }
}
