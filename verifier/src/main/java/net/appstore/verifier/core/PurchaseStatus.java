package net.appstore.verifier.core;

/**
 * {@code store.purchases.status}, as the purchase flow writes it (catalog-lite's {@code
 * db/store/V1__purchases.sql}).
 */
public enum PurchaseStatus {
  RESERVED,
  SIGNED,
  COMPLETED,
  VOIDED,
  REFUNDED
}
