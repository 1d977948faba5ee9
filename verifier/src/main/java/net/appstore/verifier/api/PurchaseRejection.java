package net.appstore.verifier.api;

/**
 * Why an authentic receipt is {@code invalid} because of its purchase. Stable wire codes, next to
 * {@link net.appstore.receipt.RejectionReason}'s: add, never rename.
 */
public enum PurchaseRejection {
  /** Neither the replica nor the primary knows the receipt's {@code jti}, and it is not new. */
  NO_PURCHASE,
  /** The purchase was voided (signing or payment failed): nothing was charged. */
  VOIDED
}
