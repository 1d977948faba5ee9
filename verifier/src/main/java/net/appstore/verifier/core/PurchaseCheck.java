package net.appstore.verifier.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import net.appstore.receipt.Receipt;
import net.appstore.service.Bulkhead;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.verifier.api.PendingReason;
import net.appstore.verifier.api.PurchaseRejection;
import net.appstore.verifier.api.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says whether the purchase behind an authentic receipt stands, looked up by the receipt's {@code
 * jti} (never by token bytes: an ECDSA receipt has several valid encodings, and all of them are the
 * same receipt).
 *
 * <p>The replica answers normally: {@code COMPLETED} is ok, {@code REFUNDED} refunded, {@code
 * VOIDED} invalid, {@code SIGNED} and {@code RESERVED} pending. A receipt the replica does not know
 * is pending while it is younger than the replica-lag window; an older one is looked up on the
 * primary, and only if the primary does not know it either is it invalid ({@code NO_PURCHASE}).
 *
 * <p>When the replica fails, lookups fall back to the primary (and skip the replica for {@code
 * replicaRetryAfter}); primary reads share a {@link Bulkhead}, so a replica outage cannot push the
 * whole verification load onto the primary. When the primary cannot be read either, or the bulkhead
 * is full, the answer is 503 with {@code Retry-After}: never a verdict because of our own failure.
 *
 * <p>Final answers (completed, refunded, voided) are cached by {@code jti} for {@code
 * resultCacheFor}. Thread-safe.
 */
public final class PurchaseCheck {

  /** The 503 reason when no purchase database can answer. */
  public static final String UNAVAILABLE = "PURCHASES_UNAVAILABLE";

  private static final Logger LOG = LoggerFactory.getLogger(PurchaseCheck.class);

  private final PurchaseRecords replica;
  private final PurchaseRecords primary;
  private final Bulkhead primaryBulkhead;
  private final PurchasePolicy policy;
  private final Clock clock;
  private final Ticker ticker;
  private final Cache<String, PurchaseStatus> finalStatuses;
  private volatile long replicaFailedAtNanos;
  private volatile boolean replicaFailing;

  private final Counter lookups;
  private final Counter cacheHits;
  private final Counter replicaFailures;
  private final Counter primaryReadsNotReplicated;
  private final Counter primaryFallbacks;
  private final Counter primaryFailures;

  public PurchaseCheck(
      PurchaseRecords replica,
      PurchaseRecords primary,
      Bulkhead primaryBulkhead,
      PurchasePolicy policy,
      Clock clock,
      Ticker ticker,
      MetricRegistry metrics) {
    this.replica = Objects.requireNonNull(replica, "replica");
    this.primary = Objects.requireNonNull(primary, "primary");
    this.primaryBulkhead = Objects.requireNonNull(primaryBulkhead, "primaryBulkhead");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.finalStatuses =
        policy.resultCacheFor().isZero() || policy.resultCacheSize() == 0
            ? null
            : Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(policy.resultCacheFor())
                .maximumSize(policy.resultCacheSize())
                .build();
    this.lookups = metrics.counter("verifier.purchases.lookups");
    this.cacheHits = metrics.counter("verifier.purchases.result_cache_hits");
    this.replicaFailures = metrics.counter("verifier.purchases.replica_failures");
    this.primaryReadsNotReplicated =
        metrics.counter("verifier.purchases.primary_reads.not_replicated");
    this.primaryFallbacks = metrics.counter("verifier.purchases.primary_reads.replica_down");
    this.primaryFailures = metrics.counter("verifier.purchases.primary_failures");
  }

  /**
   * The verdict for an authentic, unexpired receipt.
   *
   * @throws ServiceUnavailableException if no database can answer now (503, Retry-After)
   */
  public Verdict check(Receipt receipt) {
    String jti = receipt.jti();
    if (finalStatuses != null) {
      PurchaseStatus cached = finalStatuses.getIfPresent(jti);
      if (cached != null) {
        cacheHits.inc();
        return verdictFor(cached);
      }
    }
    lookups.inc();
    Optional<PurchaseStatus> status = lookUp(receipt);
    if (status.isEmpty()) {
      return isYoung(receipt)
          ? Verdict.pending(PendingReason.NOT_YET_REPLICATED)
          : Verdict.invalid(PurchaseRejection.NO_PURCHASE);
    }
    if (finalStatuses != null && isFinal(status.get())) {
      finalStatuses.put(jti, status.get());
    }
    return verdictFor(status.get());
  }

  /**
   * The status from the replica, or from the primary when the replica fails or does not know an old
   * receipt. Empty: not found where it was looked for (for a young receipt, maybe only on the
   * replica).
   */
  private Optional<PurchaseStatus> lookUp(Receipt receipt) {
    if (replicaWorthTrying()) {
      try {
        Optional<PurchaseStatus> status = replica.statusOf(receipt.jti());
        replicaAnswered();
        if (status.isPresent() || isYoung(receipt)) {
          return status;
        }
        primaryReadsNotReplicated.inc();
        return readPrimary(receipt.jti());
      } catch (PurchaseLookupException e) {
        replicaFailed(e);
      }
    }
    primaryFallbacks.inc();
    return readPrimary(receipt.jti());
  }

  private Optional<PurchaseStatus> readPrimary(String jti) {
    try {
      return primaryBulkhead.call(() -> primary.statusOf(jti));
    } catch (ServiceUnavailableException e) {
      throw e; // the bulkhead is full: its own 503
    } catch (PurchaseLookupException e) {
      primaryFailures.inc();
      throw unavailable("neither the replica nor the primary can be read", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for the primary", e);
    } catch (Exception e) {
      throw new IllegalStateException("unexpected failure reading the primary", e);
    }
  }

  private ServiceUnavailableException unavailable(String message, Exception cause) {
    return new ServiceUnavailableException(UNAVAILABLE, message, policy.retryAfter(), cause);
  }

  private boolean replicaWorthTrying() {
    return !replicaFailing
        || ticker.read() - replicaFailedAtNanos >= policy.replicaRetryAfter().toNanos();
  }

  private void replicaAnswered() {
    if (replicaFailing) {
      replicaFailing = false;
      LOG.info("purchase replica answers again");
    }
  }

  private void replicaFailed(PurchaseLookupException e) {
    replicaFailures.inc();
    replicaFailedAtNanos = ticker.read();
    if (!replicaFailing) {
      replicaFailing = true;
      LOG.warn(
          "purchase replica failed; reading the primary under its bulkhead for {}: {}",
          policy.replicaRetryAfter(),
          e.getMessage());
    }
  }

  private boolean isYoung(Receipt receipt) {
    return Duration.between(receipt.iat(), clock.instant()).compareTo(policy.replicaLagWindow())
        < 0;
  }

  private static boolean isFinal(PurchaseStatus status) {
    return status == PurchaseStatus.COMPLETED
        || status == PurchaseStatus.REFUNDED
        || status == PurchaseStatus.VOIDED;
  }

  private static Verdict verdictFor(PurchaseStatus status) {
    return switch (status) {
      case COMPLETED -> Verdict.ok();
      case REFUNDED -> Verdict.refunded();
      case VOIDED -> Verdict.invalid(PurchaseRejection.VOIDED);
      case SIGNED, RESERVED -> Verdict.pending(PendingReason.PURCHASE_INCOMPLETE);
    };
  }
}
