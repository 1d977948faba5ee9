package net.appstore.service;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps how many calls may use a dependency at once (HSM sessions, database connections). A caller
 * that cannot get a permit within {@code maxWait} is turned away with {@link
 * ServiceUnavailableException} instead of queueing without bound: when a dependency slows down, the
 * service sheds load rather than piling up threads. Thread-safe.
 */
public final class Bulkhead {

  private final String name;
  private final Semaphore permits;
  private final Duration maxWait;
  private final Duration retryAfter;
  private final Counter rejected;

  public Bulkhead(
      String name,
      int maxConcurrent,
      Duration maxWait,
      Duration retryAfter,
      MetricRegistry metrics) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1");
    }
    this.name = name;
    this.permits = new Semaphore(maxConcurrent, true);
    this.maxWait = maxWait;
    this.retryAfter = retryAfter;
    this.rejected = metrics.counter(MetricRegistry.name("bulkhead", name, "rejected"));
    metrics.gauge(
        MetricRegistry.name("bulkhead", name, "in_use"),
        () -> () -> maxConcurrent - permits.availablePermits());
  }

  /** Runs {@code work} holding a permit; exceptions of {@code work} pass through unchanged. */
  public <T> T call(Callable<T> work) throws Exception {
    if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
      rejected.inc();
      throw new ServiceUnavailableException(
          name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BUSY",
          name + " is at capacity",
          retryAfter);
    }
    try {
      return work.call();
    } finally {
      permits.release();
    }
  }
}
