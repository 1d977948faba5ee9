package net.appstore.signer.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import net.appstore.service.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the HSM can be used right now, as the last signature or canary found. Signing consults it
 * before touching the HSM, so while the HSM is down every request is answered 503 at once instead
 * of waiting on it (F13).
 *
 * <p>Three states: {@code AVAILABLE}; {@code UNAVAILABLE} (temporary: token gone, device error, a
 * call that did not return in time; recovery is automatic, see {@link HsmMonitor}); {@code
 * KEY_FAILURE} (the HSM answers but refuses the login or a key: a person must act, nothing is
 * retried). Thread-safe.
 */
public final class HsmAvailability {

  private static final Logger LOG = LoggerFactory.getLogger(HsmAvailability.class);

  /** Answered as the 503 reason while the HSM is down. */
  public static final String HSM_UNAVAILABLE = "HSM_UNAVAILABLE";

  /** Answered as the 503 reason while the HSM refuses the login or a key. */
  public static final String HSM_KEY_FAILURE = "HSM_KEY_FAILURE";

  /** The states. */
  public enum State {
    AVAILABLE,
    UNAVAILABLE,
    KEY_FAILURE
  }

  /** A state, since when and why. */
  public record Status(State state, Instant since, String reason) {}

  private final AtomicReference<Status> status;
  private final Clock clock;
  private final Duration retryAfter;
  private volatile Runnable onSuspicion = () -> {};

  public HsmAvailability(Clock clock, Duration retryAfter) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.status = new AtomicReference<>(new Status(State.AVAILABLE, clock.instant(), "started"));
  }

  public Status status() {
    return status.get();
  }

  public boolean isAvailable() {
    return status.get().state() == State.AVAILABLE;
  }

  /**
   * @throws ServiceUnavailableException {@value #HSM_UNAVAILABLE} or {@value #HSM_KEY_FAILURE}
   *     unless the HSM is available
   */
  public void requireAvailable() {
    Status now = status.get();
    switch (now.state()) {
      case AVAILABLE -> {}
      case UNAVAILABLE ->
          throw new ServiceUnavailableException(
              HSM_UNAVAILABLE, "the HSM is unavailable since " + now.since(), retryAfter);
      case KEY_FAILURE ->
          throw new ServiceUnavailableException(
              HSM_KEY_FAILURE, "the HSM refuses the signing key or login", retryAfter);
    }
  }

  /** Called when a check passed. */
  public void markAvailable() {
    Status previous = status.getAndUpdate(s -> s.state() == State.AVAILABLE ? s : available());
    if (previous.state() != State.AVAILABLE) {
      LOG.warn("HSM available again (was {} since {})", previous.state(), previous.since());
    }
  }

  /** Called when the HSM did not answer, failed, or took too long. */
  public void markUnavailable(String reason) {
    transition(State.UNAVAILABLE, reason);
  }

  /** Called when the HSM refused the login or a key: permanent until a person acts. */
  public void markKeyFailure(String reason) {
    transition(State.KEY_FAILURE, reason);
  }

  /**
   * A signature failed or timed out: refuse at once and have the monitor check now; a single glitch
   * costs one failed request, a real outage is confirmed by the canary.
   */
  public void suspect(String reason) {
    markUnavailable(reason);
    onSuspicion.run();
  }

  /** What to run when a signature raised suspicion (the monitor's immediate check). */
  public void onSuspicion(Runnable action) {
    this.onSuspicion = Objects.requireNonNull(action, "action");
  }

  private void transition(State state, String reason) {
    Status previous =
        status.getAndUpdate(
            s -> s.state() == state ? s : new Status(state, clock.instant(), reason));
    if (previous.state() != state) {
      LOG.error("HSM {}: {}", state, reason);
    }
  }

  private Status available() {
    return new Status(State.AVAILABLE, clock.instant(), "check passed");
  }
}
