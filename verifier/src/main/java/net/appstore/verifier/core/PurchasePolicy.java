package net.appstore.verifier.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PurchaseCheck} reads purchases.
 *
 * @param replicaLagWindow a receipt younger than this (by {@code iat}) whose purchase the replica
 *     does not know yet is {@code pending}: the purchase may not have been replicated
 * @param replicaRetryAfter after the replica failed, lookups go straight to the primary (under its
 *     bulkhead) for this long, so a hanging replica costs each request nothing
 * @param resultCacheFor how long a final answer (completed, refunded, voided) is kept by {@code
 *     jti}; zero disables the cache. At most the refund window: a refund must reach verifiers
 *     within it
 * @param resultCacheSize most {@code jti}s kept
 * @param retryAfter what a 503 tells the client when the purchase cannot be looked up
 */
public record PurchasePolicy(
    Duration replicaLagWindow,
    Duration replicaRetryAfter,
    Duration resultCacheFor,
    long resultCacheSize,
    Duration retryAfter) {

  public PurchasePolicy {
    Objects.requireNonNull(replicaLagWindow, "replicaLagWindow");
    Objects.requireNonNull(replicaRetryAfter, "replicaRetryAfter");
    Objects.requireNonNull(resultCacheFor, "resultCacheFor");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (replicaLagWindow.isNegative()
        || replicaRetryAfter.isNegative()
        || resultCacheFor.isNegative()
        || resultCacheSize < 0) {
      throw new IllegalArgumentException("purchase policy values must not be negative");
    }
  }
}
