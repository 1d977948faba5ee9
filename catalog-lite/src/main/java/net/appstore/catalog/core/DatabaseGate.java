package net.appstore.catalog.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import net.appstore.service.Bulkhead;
import net.appstore.service.ServiceUnavailableException;

/**
 * The one way catalog code reaches a database: under a {@link Bulkhead}, so that a slow or failing
 * database ties up a bounded number of threads and excess requests get 503 at once (F2), with
 * temporary failures turned into {@link ServiceUnavailableException} ({@code reason}, e.g. {@code
 * DATABASE_UNAVAILABLE}). Permanent failures (bugs) pass through unchanged. Thread-safe.
 */
public final class DatabaseGate {

  private final Bulkhead bulkhead;
  private final String reason;
  private final String busyReason;
  private final Duration retryAfter;
  private final Meter failures;

  public DatabaseGate(
      String name,
      String reason,
      int maxConcurrent,
      Duration maxWait,
      Duration retryAfter,
      MetricRegistry metrics) {
    this(name, reason, reason, maxConcurrent, maxWait, retryAfter, metrics);
  }

  /**
   * As above, with {@code busyReason} for requests the bulkhead turns away (the database is busy,
   * not down), where the API documents a reason of its own for that (the purchase flow's {@code
   * PURCHASE_DB_BUSY}).
   */
  public DatabaseGate(
      String name,
      String reason,
      String busyReason,
      int maxConcurrent,
      Duration maxWait,
      Duration retryAfter,
      MetricRegistry metrics) {
    this.bulkhead = new Bulkhead(name, maxConcurrent, maxWait, retryAfter, metrics);
    this.reason = reason;
    this.busyReason = busyReason;
    this.retryAfter = retryAfter;
    this.failures = metrics.meter(MetricRegistry.name("database", name, "temporary_failures"));
  }

  /** Runs {@code work} under the bulkhead. */
  public <T> T call(Callable<T> work) {
    try {
      return bulkhead.call(work);
    } catch (ServiceUnavailableException e) {
      // Turned away by the bulkhead: clients get the gate's documented reason (e.g.
      // DATABASE_UNAVAILABLE), not the bulkhead's internal name; bulkhead_<name>_rejected counts
      // it.
      throw new ServiceUnavailableException(busyReason, e.getMessage(), e.retryAfter(), e);
    } catch (Exception e) {
      if (DatabaseFailures.isTemporary(e)) {
        failures.mark();
        throw new ServiceUnavailableException(reason, "database unavailable", retryAfter, e);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e);
    }
  }
}
