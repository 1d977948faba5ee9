package net.appstore.catalog.core.purchase;

import java.util.List;

/**
 * One page of the gateway's charge ledger, oldest first.
 *
 * @param charges the charges with their current status
 * @param hasMore whether a page follows (ask with the last charge's id)
 */
public record LedgerPage(List<Entry> charges, boolean hasMore) {

  /** A charge in the ledger, with the idempotency key (the purchase id) it was made under. */
  public record Entry(String id, String status, String idempotencyKey) {

    public boolean moneyMoved() {
      return "succeeded".equals(status) || "refunded".equals(status);
    }
  }
}
