package net.appstore.verifier;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import net.appstore.service.Bulkhead;
import net.appstore.verifier.core.PurchaseCheck;
import net.appstore.verifier.core.PurchasePolicy;
import net.appstore.verifier.core.PurchaseRecords;

/**
 * How purchases are looked up ({@code purchases:} in the YAML); see {@link PurchasePolicy} for the
 * meaning of each duration, and {@link PurchaseCheck} for the behaviour.
 */
public class PurchasesFactory {

  @NotNull private Duration replicaLagWindow = Duration.seconds(60);
  @NotNull private Duration replicaRetryAfter = Duration.seconds(2);

  /** Most concurrent primary reads (fallback and not-yet-replicated lookups together). */
  @Min(1)
  private int primaryMaxConcurrent = 4;

  /** How long a request waits for a primary permit before it gets 503. */
  @NotNull private Duration primaryMaxWait = Duration.milliseconds(100);

  @NotNull private Duration resultCacheFor = Duration.seconds(10);

  @Min(0)
  private long resultCacheSize = 100_000;

  /** How soon a refund must reach verifiers; the result cache never holds an answer longer. */
  @NotNull private Duration refundWindow = Duration.seconds(60);

  @NotNull private Duration retryAfter = Duration.seconds(5);

  @JsonIgnore
  @ValidationMethod(message = "resultCacheFor must not be longer than refundWindow")
  public boolean isResultCacheWithinRefundWindow() {
    return resultCacheFor.toNanoseconds() <= refundWindow.toNanoseconds();
  }

  public PurchasePolicy policy() {
    return new PurchasePolicy(
        replicaLagWindow.toJavaDuration(),
        replicaRetryAfter.toJavaDuration(),
        resultCacheFor.toJavaDuration(),
        resultCacheSize,
        retryAfter.toJavaDuration());
  }

  public PurchaseCheck build(
      PurchaseRecords replica, PurchaseRecords primary, Clock clock, MetricRegistry metrics) {
    Bulkhead bulkhead =
        new Bulkhead(
            "primary-fallback",
            primaryMaxConcurrent,
            primaryMaxWait.toJavaDuration(),
            retryAfter.toJavaDuration(),
            metrics);
    return new PurchaseCheck(
        replica, primary, bulkhead, policy(), clock, Ticker.systemTicker(), metrics);
  }

  public Duration getReplicaLagWindow() {
    return replicaLagWindow;
  }

  public void setReplicaLagWindow(Duration replicaLagWindow) {
    this.replicaLagWindow = replicaLagWindow;
  }

  public Duration getReplicaRetryAfter() {
    return replicaRetryAfter;
  }

  public void setReplicaRetryAfter(Duration replicaRetryAfter) {
    this.replicaRetryAfter = replicaRetryAfter;
  }

  public int getPrimaryMaxConcurrent() {
    return primaryMaxConcurrent;
  }

  public void setPrimaryMaxConcurrent(int primaryMaxConcurrent) {
    this.primaryMaxConcurrent = primaryMaxConcurrent;
  }

  public Duration getPrimaryMaxWait() {
    return primaryMaxWait;
  }

  public void setPrimaryMaxWait(Duration primaryMaxWait) {
    this.primaryMaxWait = primaryMaxWait;
  }

  public Duration getResultCacheFor() {
    return resultCacheFor;
  }

  public void setResultCacheFor(Duration resultCacheFor) {
    this.resultCacheFor = resultCacheFor;
  }

  public long getResultCacheSize() {
    return resultCacheSize;
  }

  public void setResultCacheSize(long resultCacheSize) {
    this.resultCacheSize = resultCacheSize;
  }

  public Duration getRefundWindow() {
    return refundWindow;
  }

  public void setRefundWindow(Duration refundWindow) {
    this.refundWindow = refundWindow;
  }

  public Duration getRetryAfter() {
    return retryAfter;
  }

  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }
}
