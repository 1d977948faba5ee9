package net.appstore.verifier.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.RejectionReason;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.verify.ReceiptVerifier;
import net.appstore.receipt.verify.VerifiedReceipt;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.verifier.api.PendingReason;
import net.appstore.verifier.api.PurchaseRejection;
import net.appstore.verifier.api.Verdict;
import net.appstore.verifier.api.VerificationStatus;

/**
 * One verification, end to end: the token through {@link ReceiptVerifier} (size, compact form,
 * header policy, kid, key certified by the pinned root at {@code iat}, signature, claims, in that
 * order), then the purchase through {@link PurchaseCheck}. Counts every outcome by status and
 * reason ({@code verifier.verifications.<status>[.<reason>]}).
 *
 * <p>Its own failures are never verdicts: an unavailable key source or purchase database becomes
 * {@link ServiceUnavailableException} (503 with {@code Retry-After}). Thread-safe.
 */
public final class ReceiptVerification {

  /** The 503 reason when the key set cannot tell whether a kid exists. */
  public static final String KEYS_UNAVAILABLE = "KEYS_UNAVAILABLE";

  private final ReceiptVerifier verifier;
  private final PurchaseCheck purchases;
  private final Duration keysRetryAfter;
  private final Map<VerificationStatus, Counter> byStatus = new EnumMap<>(VerificationStatus.class);
  private final Map<String, Counter> byReason = new HashMap<>();
  private final Map<String, Counter> unavailable = new HashMap<>();
  private final MetricRegistry metrics;

  public ReceiptVerification(
      ReceiptVerifier verifier,
      PurchaseCheck purchases,
      Duration keysRetryAfter,
      MetricRegistry metrics) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.purchases = Objects.requireNonNull(purchases, "purchases");
    this.keysRetryAfter = Objects.requireNonNull(keysRetryAfter, "keysRetryAfter");
    this.metrics = metrics;
    // Registered up front, so dashboards see zeros rather than missing series.
    for (VerificationStatus status : VerificationStatus.values()) {
      byStatus.put(status, metrics.counter(name(status)));
    }
    for (RejectionReason reason : RejectionReason.values()) {
      if (reason != RejectionReason.EXPIRED) {
        register(VerificationStatus.INVALID, reason.name());
      }
    }
    for (PurchaseRejection reason : PurchaseRejection.values()) {
      register(VerificationStatus.INVALID, reason.name());
    }
    for (PendingReason reason : PendingReason.values()) {
      register(VerificationStatus.PENDING, reason.name());
    }
    for (String reason : new String[] {KEYS_UNAVAILABLE, PurchaseCheck.UNAVAILABLE}) {
      unavailable.put(reason, metrics.counter("verifier.verifications.unavailable." + reason));
    }
  }

  /**
   * @throws ServiceUnavailableException if keys or purchases cannot be checked now
   */
  public Verdict verify(String token) {
    VerifiedReceipt receipt;
    try {
      receipt = verifier.verify(token);
    } catch (ReceiptRejectedException e) {
      return count(
          e.reason() == RejectionReason.EXPIRED && e.reissue().isPresent()
              ? Verdict.expired(e.reissue().get())
              : Verdict.invalid(e.reason()));
    } catch (KeySourceUnavailableException e) {
      unavailable.get(KEYS_UNAVAILABLE).inc();
      throw new ServiceUnavailableException(
          KEYS_UNAVAILABLE, "the signing keys cannot be checked now", keysRetryAfter, e);
    }
    try {
      return count(purchases.check(receipt.receipt()));
    } catch (ServiceUnavailableException e) {
      metrics.counter("verifier.verifications.unavailable." + e.reason()).inc();
      throw e;
    }
  }

  /** The verdict for a request refused before verification (its body), counted like the rest. */
  public Verdict refuse(RejectionReason reason) {
    return count(Verdict.invalid(reason));
  }

  private Verdict count(Verdict verdict) {
    byStatus.get(verdict.status()).inc();
    if (verdict.reason() != null) {
      Counter counter = byReason.get(name(verdict.status()) + "." + verdict.reason());
      if (counter != null) {
        counter.inc();
      }
    }
    return verdict;
  }

  private void register(VerificationStatus status, String reason) {
    String name = name(status) + "." + reason;
    byReason.put(name, metrics.counter(name));
  }

  private static String name(VerificationStatus status) {
    return "verifier.verifications." + status.wireName();
  }
}
