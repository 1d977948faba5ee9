package net.appstore.verifier.api;

/** Why an authentic receipt is {@code pending}. Stable wire codes: add, never rename. */
public enum PendingReason {
  /**
   * No purchase found for the receipt yet, but it is younger than the replica-lag window: the
   * purchase may simply not have reached the replica.
   */
  NOT_YET_REPLICATED,
  /** The purchase exists but is not completed (reserved or signed, not yet charged or recorded). */
  PURCHASE_INCOMPLETE
}
