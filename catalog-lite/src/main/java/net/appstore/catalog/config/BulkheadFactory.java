package net.appstore.catalog.config;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import net.appstore.catalog.core.DatabaseGate;

/**
 * A bulkhead in front of a database: at most {@code maxConcurrent} calls at once; a caller waits up
 * to {@code maxWait} for a turn, then gets 503 with {@code Retry-After: retryAfter}.
 */
public class BulkheadFactory {

  @Min(1)
  private int maxConcurrent = 8;

  @NotNull private Duration maxWait = Duration.milliseconds(200);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  private Duration retryAfter = Duration.seconds(5);

  public static BulkheadFactory of(int maxConcurrent, String maxWait, String retryAfter) {
    BulkheadFactory f = new BulkheadFactory();
    f.maxConcurrent = maxConcurrent;
    f.maxWait = Duration.parse(maxWait);
    f.retryAfter = Duration.parse(retryAfter);
    return f;
  }

  public DatabaseGate build(String name, String reason, MetricRegistry metrics) {
    return build(name, reason, reason, metrics);
  }

  /** A gate whose turned-away requests answer {@code busyReason} (see {@link DatabaseGate}). */
  public DatabaseGate build(String name, String reason, String busyReason, MetricRegistry metrics) {
    return new DatabaseGate(
        name,
        reason,
        busyReason,
        maxConcurrent,
        maxWait.toJavaDuration(),
        retryAfter.toJavaDuration(),
        metrics);
  }

  public int getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public Duration getMaxWait() {
    return maxWait;
  }

  public void setMaxWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  public Duration getRetryAfter() {
    return retryAfter;
  }

  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }
}
