package net.appstore.devservices.payments;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fault switchboard: which faults are on, how long {@code slow} delays and how long {@code
 * timeout} holds a response. Switching a fault on without a delay uses the default given at start,
 * so every switch is self-contained. Kept in memory only: a restart of the simulator starts from
 * the command line's settings again.
 *
 * <p>Thread-safe: requests read it while the admin endpoint changes it.
 */
public final class Faults {

  /** Longest configurable delay or hold: ten minutes. */
  public static final Duration MAX_DELAY = Duration.ofMinutes(10);

  public static final Duration DEFAULT_SLOW_LATENCY = Duration.ofMillis(1500);

  /** Far longer than any sane client timeout, short enough that a held request does not linger. */
  public static final Duration DEFAULT_TIMEOUT_HOLD = Duration.ofMinutes(5);

  private final Duration defaultSlowLatency;
  private final Duration defaultTimeoutHold;
  private final Set<Fault> enabled = EnumSet.noneOf(Fault.class);
  private Duration slowLatency;
  private Duration timeoutHold;

  public Faults() {
    this(DEFAULT_SLOW_LATENCY, DEFAULT_TIMEOUT_HOLD);
  }

  /**
   * @param defaultSlowLatency what {@code slow} adds when switched on without a latency
   * @param defaultTimeoutHold how long {@code timeout} holds when switched on without a hold
   */
  public Faults(Duration defaultSlowLatency, Duration defaultTimeoutHold) {
    this.defaultSlowLatency = checkDelay(defaultSlowLatency, "slow latency");
    this.defaultTimeoutHold = checkDelay(defaultTimeoutHold, "timeout hold");
    this.slowLatency = defaultSlowLatency;
    this.timeoutHold = defaultTimeoutHold;
  }

  public synchronized boolean isOn(Fault fault) {
    return enabled.contains(fault);
  }

  /** Switches {@code fault} on; {@code slow} and {@code timeout} with their default delays. */
  public synchronized void on(Fault fault) {
    if (fault == Fault.SLOW) {
      slowLatency = defaultSlowLatency;
    } else if (fault == Fault.TIMEOUT) {
      timeoutHold = defaultTimeoutHold;
    }
    enabled.add(fault);
  }

  /**
   * Switches {@code slow} on with this latency, or {@code timeout} with this hold.
   *
   * @throws IllegalArgumentException for another fault, or a delay outside 0 to {@link #MAX_DELAY}
   */
  public synchronized void on(Fault fault, Duration delay) {
    switch (fault) {
      case SLOW -> slowLatency = checkDelay(delay, "slow latency");
      case TIMEOUT -> timeoutHold = checkDelay(delay, "timeout hold");
      default -> throw new IllegalArgumentException(fault.id() + " takes no delay");
    }
    enabled.add(fault);
  }

  public synchronized void off(Fault fault) {
    enabled.remove(fault);
  }

  /** Switches every fault off. */
  public synchronized void clear() {
    enabled.clear();
    slowLatency = defaultSlowLatency;
    timeoutHold = defaultTimeoutHold;
  }

  /** The faults on now, in declaration order. */
  public synchronized List<Fault> active() {
    return List.copyOf(enabled);
  }

  public synchronized Duration slowLatency() {
    return slowLatency;
  }

  public synchronized Duration timeoutHold() {
    return timeoutHold;
  }

  /** The document {@code GET /__faults__} answers. */
  public synchronized Map<String, Object> toJson() {
    Map<String, Object> faults = new LinkedHashMap<>();
    for (Fault fault : Fault.values()) {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("enabled", enabled.contains(fault));
      if (fault == Fault.SLOW) {
        state.put("latency_ms", slowLatency.toMillis());
      } else if (fault == Fault.TIMEOUT) {
        state.put("hold_ms", timeoutHold.toMillis());
      }
      faults.put(fault.id(), state);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("active", enabled.stream().map(Fault::id).toList());
    doc.put("faults", faults);
    return doc;
  }

  private static Duration checkDelay(Duration delay, String what) {
    if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          what + " must be between 0 and " + MAX_DELAY.toMillis() + " ms, not " + delay.toMillis());
    }
    return delay;
  }
}
