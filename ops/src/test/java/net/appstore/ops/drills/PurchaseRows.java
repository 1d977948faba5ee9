package net.appstore.ops.drills;

import java.time.Duration;
import java.util.Map;

/**
 * Purchase data changed behind the services' backs, as corruption or an operator's mistake would
 * (F9), and put back exactly afterwards. Every change is on the primary; the replica follows.
 */
public final class PurchaseRows {

  private final DrillStack stack;

  public PurchaseRows(DrillStack stack) {
    this.stack = stack;
  }

  public void setStatus(String purchaseId, String status) {
    stack
        .primary()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE store.purchases SET status = :status WHERE id = CAST(:id AS uuid)")
                    .bind("status", status)
                    .bind("id", purchaseId)
                    .execute());
  }

  /**
   * The jti of a receipt of a COMPLETED purchase issued more than {@code age} ago (the newest such
   * one), or null when there is none yet.
   */
  public String receiptOlderThan(Duration age) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT r.jti FROM store.purchase_receipts r JOIN store.purchases p"
                            + " ON p.id = r.purchase_id WHERE p.status = 'COMPLETED'"
                            + " AND r.expires_at > now()"
                            + " AND r.issued_at < now() - make_interval(secs => :age)"
                            + " ORDER BY r.issued_at DESC LIMIT 1")
                    .bind("age", (double) age.toSeconds())
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
  }

  public String jtiOf(String purchaseId) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT jti FROM store.purchase_receipts"
                            + " WHERE purchase_id = CAST(:id AS uuid) ORDER BY issued_at DESC LIMIT 1")
                    .bind("id", purchaseId)
                    .mapTo(String.class)
                    .one());
  }

  public String receipt(String jti) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery("SELECT receipt FROM store.purchase_receipts WHERE jti = :jti")
                    .bind("jti", jti)
                    .mapTo(String.class)
                    .one());
  }

  /** Deletes a receipt row; returns it whole, for {@link #restoreReceipt}. */
  public Map<String, Object> deleteReceipt(String jti) {
    return stack
        .primary()
        .inTransaction(
            h -> {
              Map<String, Object> row =
                  h.createQuery("SELECT * FROM store.purchase_receipts WHERE jti = :jti")
                      .bind("jti", jti)
                      .mapToMap()
                      .one();
              h.createUpdate("DELETE FROM store.purchase_receipts WHERE jti = :jti")
                  .bind("jti", jti)
                  .execute();
              return row;
            });
  }

  public void restoreReceipt(Map<String, Object> row) {
    stack
        .primary()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO store.purchase_receipts"
                            + " (jti, purchase_id, kid, receipt, issued_at, expires_at)"
                            + " VALUES (:jti, :purchase_id, :kid, :receipt, :issued_at, :expires_at)")
                    .bindMap(row)
                    .execute());
  }

  /**
   * Makes the store hold a purchase's receipts as expired (what 180 days would do), so that a
   * reissue asks the signer for a fresh one.
   */
  public void expireReceipts(String purchaseId) {
    stack
        .primary()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE store.purchase_receipts SET expires_at = now() - interval '1 minute'"
                            + " WHERE purchase_id = CAST(:id AS uuid)")
                    .bind("id", purchaseId)
                    .execute());
  }
}
