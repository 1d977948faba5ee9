package net.appstore.signer.core;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the HSM and brings signing back after an outage without a person (F13).
 *
 * <p>While the HSM is available, the canary (fresh key lookup, sign in the HSM, verify in software,
 * time-bounded) runs every {@code canaryInterval}, and at once when a signature failed. A failed
 * canary marks the HSM unavailable: signing is refused at once with 503 and readiness goes DOWN.
 *
 * <p>Recovery is a supervised restart. SunPKCS11 never recovers a token that went away within the
 * process (hsm-config's TokenLossTest), so every {@code probeInterval} while unavailable this
 * monitor first re-runs the canary here (a hang that ended, or a glitch, recovers in place), and
 * otherwise asks a fresh probe process ({@link HsmProbe}) whether the HSM works again. Once it
 * does, the monitor exits the process with {@link #EXIT_HSM_RECOVERED}; the supervisor (systemd,
 * Kubernetes, or the local stack's {@code ops/lib/supervise}) starts a new one, which initialises
 * the PKCS#11 library afresh. Exiting only after a probe succeeded keeps the process answering 503
 * throughout the outage instead of crash-looping. A refused login or key is a person's job: no
 * probe, no restart (a real HSM locks the PIN after a few attempts).
 *
 * <p>Thread-safe: checks run on the monitor's single thread, or on the caller's for {@link
 * #checkNow()} (the canary serialises itself).
 */
public final class HsmMonitor implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(HsmMonitor.class);

  /** Exit status asking the supervisor for a restart because the HSM is back (EX_TEMPFAIL). */
  public static final int EXIT_HSM_RECOVERED = 75;

  /** Runs one probe in a fresh process. */
  @FunctionalInterface
  public interface Prober {
    HsmProbe.Result probe(List<String> labels) throws IOException;
  }

  private final HsmConnection hsm;
  private final HsmAvailability availability;
  private final Supplier<List<String>> labels;
  private final Prober prober;
  private final IntConsumer exit;
  private final Duration canaryInterval;
  private final Duration probeInterval;
  private final boolean restartWhenRecovered;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private volatile Instant lastProbe = Instant.EPOCH;
  private volatile Instant nextRound = Instant.EPOCH;
  private final AtomicLong suspicions = new AtomicLong();
  private long handledSuspicions; // monitor thread only
  private volatile boolean exiting;

  /** How often the monitor thread wakes to see whether a round is due. */
  private static final Duration WAKE = Duration.ofMillis(100);

  /**
   * @param labels the HSM labels of the keys in use (the canary exercises each)
   * @param exit ends the process with a status (production: a new thread calling System.exit)
   */
  public HsmMonitor(
      HsmConnection hsm,
      HsmAvailability availability,
      Supplier<List<String>> labels,
      Prober prober,
      IntConsumer exit,
      Duration canaryInterval,
      Duration probeInterval,
      boolean restartWhenRecovered,
      Clock clock) {
    this.hsm = Objects.requireNonNull(hsm, "hsm");
    this.availability = Objects.requireNonNull(availability, "availability");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.prober = Objects.requireNonNull(prober, "prober");
    this.exit = Objects.requireNonNull(exit, "exit");
    this.canaryInterval = Objects.requireNonNull(canaryInterval, "canaryInterval");
    this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
    this.restartWhenRecovered = restartWhenRecovered;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "hsm-monitor");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The exit used in production: System.exit on a thread of its own (shutdown hooks need ours). */
  public static IntConsumer systemExit() {
    return status -> new Thread(() -> System.exit(status), "hsm-recovery-exit").start();
  }

  @Override
  public void start() {
    availability.onSuspicion(suspicions::incrementAndGet);
    scheduler.scheduleWithFixedDelay(this::tick, 0, WAKE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  /**
   * Runs the canary now and records the result; for the health check.
   *
   * @throws HsmException what the canary found
   */
  public void checkNow() throws HsmException {
    try {
      hsm.check(labels.get());
      availability.markAvailable();
    } catch (HsmKeyException e) {
      availability.markKeyFailure(e.getMessage());
      throw e;
    } catch (HsmException e) {
      availability.markUnavailable(e.getMessage());
      throw e;
    }
  }

  /**
   * Runs a round when one is due: every canaryInterval while available, every probeInterval while
   * not, and at once after a signature raised suspicion.
   */
  private void tick() {
    long suspected = suspicions.get();
    if (exiting || (suspected == handledSuspicions && clock.instant().isBefore(nextRound))) {
      return;
    }
    handledSuspicions = suspected;
    try {
      round();
    } catch (RuntimeException e) {
      LOG.error("HSM monitor round failed", e);
    } finally {
      Duration next = availability.isAvailable() ? canaryInterval : probeInterval;
      nextRound = clock.instant().plus(next);
    }
  }

  private void round() {
    if (availability.status().state() == HsmAvailability.State.KEY_FAILURE
        && hsm.token().isEmpty()) {
      return; // login refused at start: never retried
    }
    try {
      checkNow();
      return;
    } catch (HsmKeyException e) {
      LOG.error("HSM refuses a key or the login; a person must act: {}", e.getMessage());
      return;
    } catch (HsmException e) {
      LOG.warn("HSM canary failed: {}", e.getMessage());
    }
    if (!restartWhenRecovered || exiting) {
      return;
    }
    Instant now = clock.instant();
    if (now.isBefore(lastProbe.plus(probeInterval))) {
      return;
    }
    lastProbe = now;
    HsmProbe.Result result;
    try {
      result = prober.probe(labels.get());
    } catch (IOException e) {
      LOG.error("could not start the HSM probe process: {}", e.getMessage());
      return;
    }
    switch (result) {
      case HSM_WORKS -> {
        exiting = true;
        LOG.warn(
            "a fresh process reaches the HSM again; exiting with status {} so the supervisor"
                + " restarts the signer with a new PKCS#11 library instance",
            EXIT_HSM_RECOVERED);
        exit.accept(EXIT_HSM_RECOVERED);
      }
      case KEY_FAILURE ->
          LOG.error("a fresh process reaches the HSM but a key or the login is refused");
      case HSM_UNAVAILABLE -> LOG.info("HSM still unavailable to a fresh process");
    }
  }
}
