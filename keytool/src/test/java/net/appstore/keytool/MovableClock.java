package net.appstore.keytool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, like Caffeine's FakeTicker. Thread-safe. */
final class MovableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final AtomicReference<Duration> tick = new AtomicReference<>(Duration.ZERO);

  MovableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  void set(Instant instant) {
    now.set(instant);
  }

  /** From now on, every read moves the clock on by {@code step} (time passing during a run). */
  void tickOnEveryRead(Duration step) {
    tick.set(step);
  }

  @Override
  public Instant instant() {
    Duration step = tick.get();
    return step.isZero() ? now.get() : now.getAndUpdate(instant -> instant.plus(step));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
