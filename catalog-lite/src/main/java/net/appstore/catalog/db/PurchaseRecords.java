package net.appstore.catalog.db;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import net.appstore.catalog.core.AppRecord;
import net.appstore.catalog.core.DatabaseGate;
import net.appstore.catalog.core.purchase.SignedReceipt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The store schema's writes and primary reads for the purchase flow: {@code store.purchases}, its
 * receipts, idempotency keys and journal replay marks. Every state change is guarded by the state
 * it leaves, so a late or repeated write never moves a purchase backwards. Every call runs under
 * the purchase flow's database bulkhead ({@link DatabaseGate}): a purchase storm waits for a turn
 * or gets {@link net.appstore.service.ServiceUnavailableException} (503) instead of exhausting the
 * connection pool. Thread-safe.
 */
public final class PurchaseRecords {

  /** A purchase with its latest receipt (a reissue adds one); filter with a WHERE on {@code p}. */
  private static final String PURCHASE_WITH_LATEST_RECEIPT =
      "SELECT p.id, p.user_id, p.app_slug, p.price_amount, p.price_currency,"
          + " p.status, p.charge_id, r.receipt, r.jti, r.expires_at, p.created_at"
          + " FROM store.purchases p LEFT JOIN LATERAL (SELECT receipt, jti,"
          + " expires_at FROM store.purchase_receipts WHERE purchase_id = p.id"
          + " ORDER BY issued_at DESC LIMIT 1) r ON true";

  /** What reserving under an idempotency key found. */
  public sealed interface Reservation {}

  /** The key was free: this request owns the new purchase. */
  public record Reserved(UUID purchaseId) implements Reservation {}

  /** The key answered before: replay its stored response. */
  public record Answered(UUID purchaseId, int status, String body) implements Reservation {}

  /** The key names a request with other parameters (422). */
  public record OtherParameters() implements Reservation {}

  /** The key's first request is still running (409). */
  public record InFlight() implements Reservation {}

  /**
   * The key's request reserved {@code purchaseId} and never answered within the takeover bound (its
   * process died): this request now holds the key and carries the purchase on.
   */
  public record Abandoned(UUID purchaseId) implements Reservation {}

  /** A purchase as the primary has it, with its newest receipt if any. */
  public record Purchase(
      UUID id,
      String userId,
      String appSlug,
      BigDecimal amount,
      String currency,
      String status,
      String chargeId,
      String receipt,
      String jti,
      Instant receiptExpiresAt,
      Instant createdAt) {}

  private final Jdbi primary;
  private final DatabaseGate gate;

  public PurchaseRecords(Jdbi primary, DatabaseGate gate) {
    this.primary = primary;
    this.gate = gate;
  }

  public Reservation reserve(
      String userId,
      String key,
      String requestHash,
      String appSlug,
      BigDecimal amount,
      String currency,
      Instant now,
      Instant takeOverBefore) {
    return gated(
        h -> {
          UUID id = UUID.randomUUID();
          h.createUpdate(
                  "INSERT INTO store.purchases (id, user_id, app_slug, price_amount,"
                      + " price_currency, status, created_at, updated_at)"
                      + " VALUES (:id, :user, :slug, :amount, :currency, 'RESERVED', :now, :now)")
              .bind("id", id)
              .bind("user", userId)
              .bind("slug", appSlug)
              .bind("amount", amount)
              .bind("currency", currency)
              .bind("now", at(now))
              .execute();
          int inserted =
              h.createUpdate(
                      "INSERT INTO store.idempotency_keys (user_id, idempotency_key, request_hash,"
                          + " purchase_id, created_at, locked_at)"
                          + " VALUES (:user, :key, :hash, :id, :now, :now)"
                          + " ON CONFLICT DO NOTHING")
                  .bind("user", userId)
                  .bind("key", key)
                  .bind("hash", requestHash)
                  .bind("id", id)
                  .bind("now", at(now))
                  .execute();
          if (inserted == 1) {
            return new Reserved(id);
          }
          // The key exists: the purchase row just written must not stay behind.
          h.createUpdate("DELETE FROM store.purchases WHERE id = :id").bind("id", id).execute();
          return existing(h, userId, key, requestHash, now, takeOverBefore);
        });
  }

  private static Reservation existing(
      Handle h,
      String userId,
      String key,
      String requestHash,
      Instant now,
      Instant takeOverBefore) {
    var row =
        h.createQuery(
                "SELECT request_hash, purchase_id, response_status, response_body"
                    + " FROM store.idempotency_keys WHERE user_id = :user AND idempotency_key = :key")
            .bind("user", userId)
            .bind("key", key)
            .mapToMap()
            .one();
    if (!requestHash.equals(row.get("request_hash"))) {
      return new OtherParameters();
    }
    Object status = row.get("response_status");
    if (status == null) {
      return takeOver(h, userId, key, now, takeOverBefore);
    }
    return new Answered(
        (UUID) row.get("purchase_id"),
        ((Number) status).intValue(),
        (String) row.get("response_body"));
  }

  /**
   * Takes an unanswered key whose holder locked it before {@code takeOverBefore}: one conditional
   * update, so of concurrent retries exactly one wins and the others see it in flight.
   */
  private static Reservation takeOver(
      Handle h, String userId, String key, Instant now, Instant takeOverBefore) {
    Optional<UUID> taken =
        h.createQuery(
                "UPDATE store.idempotency_keys SET locked_at = :now WHERE user_id = :user"
                    + " AND idempotency_key = :key AND response_status IS NULL"
                    + " AND locked_at < :before RETURNING purchase_id")
            .bind("user", userId)
            .bind("key", key)
            .bind("now", at(now))
            .bind("before", at(takeOverBefore))
            .mapTo(UUID.class)
            .findOne();
    return taken.<Reservation>map(Abandoned::new).orElseGet(InFlight::new);
  }

  /** Records the receipt and moves RESERVED → SIGNED. */
  public void storeReceipt(UUID purchaseId, SignedReceipt receipt, Instant now) {
    gated(
        h -> {
          h.createUpdate(
                  "INSERT INTO store.purchase_receipts (jti, purchase_id, kid, receipt, issued_at,"
                      + " expires_at) VALUES (:jti, :id, :kid, :receipt, :now, :exp)"
                      + " ON CONFLICT (jti) DO NOTHING")
              .bind("jti", receipt.jti())
              .bind("id", purchaseId)
              .bind("kid", receipt.kid())
              .bind("receipt", receipt.receipt())
              .bind("now", at(now))
              .bind("exp", at(receipt.expiresAt()))
              .execute();
          return move(h, purchaseId, "SIGNED", now, "RESERVED");
        });
  }

  /** RESERVED or SIGNED → VOIDED: only for purchases that are certainly not charged. */
  public boolean voidUncharged(UUID purchaseId, Instant now) {
    return gated(h -> move(h, purchaseId, "VOIDED", now, "RESERVED", "SIGNED"));
  }

  /**
   * RESERVED or SIGNED → COMPLETED with the charge, and the key's stored answer, in one
   * transaction.
   */
  public void complete(UUID purchaseId, String chargeId, String answer, Instant now) {
    gated(
        h -> {
          complete(h, purchaseId, chargeId, answer, now);
          return null;
        });
  }

  private static void complete(
      Handle h, UUID purchaseId, String chargeId, String answer, Instant now) {
    h.createUpdate(
            "UPDATE store.purchases SET status = 'COMPLETED', charge_id = :charge,"
                + " updated_at = :now WHERE id = :id AND status IN ('RESERVED', 'SIGNED')")
        .bind("id", purchaseId)
        .bind("charge", chargeId)
        .bind("now", at(now))
        .execute();
    h.createUpdate(
            "UPDATE store.idempotency_keys SET response_status = 201, response_body = :body,"
                + " answered_at = :now WHERE purchase_id = :id")
        .bind("id", purchaseId)
        .bind("body", answer)
        .bind("now", at(now))
        .execute();
  }

  /**
   * Lands a journalled completion once: false if this entry was replayed before. Idempotent, so a
   * crash between landing and dropping the entry from the journal only repeats a no-op.
   */
  public boolean replayCompletion(
      UUID entryId, UUID purchaseId, String chargeId, String answer, Instant now) {
    return gated(
        h -> {
          int marked =
              h.createUpdate(
                      "INSERT INTO store.journal_replays (entry_id, purchase_id, replayed_at)"
                          + " VALUES (:entry, :id, :now) ON CONFLICT DO NOTHING")
                  .bind("entry", entryId)
                  .bind("id", purchaseId)
                  .bind("now", at(now))
                  .execute();
          if (marked == 0) {
            return false;
          }
          complete(h, purchaseId, chargeId, answer, now);
          return true;
        });
  }

  /** Stores the answer given under the purchase's idempotency key. */
  public void answer(UUID purchaseId, int status, String body, Instant now) {
    gated(
        h ->
            h.createUpdate(
                    "UPDATE store.idempotency_keys SET response_status = :status,"
                        + " response_body = :body, answered_at = :now WHERE purchase_id = :id")
                .bind("id", purchaseId)
                .bind("status", status)
                .bind("body", body)
                .bind("now", at(now))
                .execute());
  }

  /** COMPLETED → REFUNDED, with who did it. */
  public boolean markRefunded(UUID purchaseId, String refundId, String operator, Instant now) {
    return gated(
        h -> {
          if (!move(h, purchaseId, "REFUNDED", now, "COMPLETED")) {
            return false;
          }
          h.createUpdate(
                  "INSERT INTO store.refunds (purchase_id, gateway_refund_id, operator,"
                      + " refunded_at) VALUES (:id, :refund, :operator, :now)")
              .bind("id", purchaseId)
              .bind("refund", refundId)
              .bind("operator", operator)
              .bind("now", at(now))
              .execute();
          return true;
        });
  }

  public Optional<Purchase> find(UUID purchaseId) {
    return gated(
        h ->
            h.createQuery(PURCHASE_WITH_LATEST_RECEIPT + " WHERE p.id = :id")
                .bind("id", purchaseId)
                .map(PurchaseRecords::purchase)
                .findOne());
  }

  /**
   * The purchases among {@code purchaseIds}, by id, in one query (the reconciler looks up a whole
   * ledger page at once); ids without a purchase are absent from the map.
   */
  public Map<UUID, Purchase> findAll(Collection<UUID> purchaseIds) {
    if (purchaseIds.isEmpty()) {
      return Map.of();
    }
    return gated(
        h ->
            h.createQuery(PURCHASE_WITH_LATEST_RECEIPT + " WHERE p.id = ANY(:ids)")
                .bindArray("ids", UUID.class, purchaseIds)
                .map(PurchaseRecords::purchase)
                .collect(Collectors.toMap(Purchase::id, purchase -> purchase)));
  }

  private static Purchase purchase(ResultSet rs, StatementContext ctx) throws SQLException {
    OffsetDateTime expiresAt = rs.getObject("expires_at", OffsetDateTime.class);
    return new Purchase(
        rs.getObject("id", UUID.class),
        rs.getString("user_id"),
        rs.getString("app_slug"),
        rs.getBigDecimal("price_amount"),
        rs.getString("price_currency"),
        rs.getString("status"),
        rs.getString("charge_id"),
        rs.getString("receipt"),
        rs.getString("jti"),
        expiresAt == null ? null : expiresAt.toInstant(),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  /** The purchase a receipt was issued for, if these exact bytes were issued under that jti. */
  public Optional<UUID> purchaseOfReceipt(String jti, String receipt) {
    return gated(
        h ->
            h.createQuery(
                    "SELECT purchase_id FROM store.purchase_receipts"
                        + " WHERE jti = :jti AND receipt = :receipt")
                .bind("jti", jti)
                .bind("receipt", receipt)
                .mapTo(UUID.class)
                .findOne());
  }

  /** Records a further receipt for a purchase (reissue); the purchase's status is unchanged. */
  public void addReceipt(UUID purchaseId, SignedReceipt receipt, Instant now) {
    gated(
        h ->
            h.createUpdate(
                    "INSERT INTO store.purchase_receipts (jti, purchase_id, kid, receipt,"
                        + " issued_at, expires_at) VALUES (:jti, :id, :kid, :receipt, :now, :exp)")
                .bind("jti", receipt.jti())
                .bind("id", purchaseId)
                .bind("kid", receipt.kid())
                .bind("receipt", receipt.receipt())
                .bind("now", at(now))
                .bind("exp", at(receipt.expiresAt()))
                .execute());
  }

  /** Deletes answered idempotency keys created before {@code before}; how many went. */
  public int purgeIdempotencyKeys(Instant before) {
    return gated(
        h ->
            h.createUpdate(
                    "DELETE FROM store.idempotency_keys WHERE created_at < :before"
                        + " AND response_status IS NOT NULL")
                .bind("before", at(before))
                .execute());
  }

  /** RESERVED or SIGNED purchases not touched since {@code before}: the reconciler's work. */
  public java.util.List<UUID> unfinishedSince(Instant before) {
    return gated(
        h ->
            h.createQuery(
                    "SELECT id FROM store.purchases WHERE status IN ('RESERVED', 'SIGNED')"
                        + " AND updated_at < :before ORDER BY updated_at")
                .bind("before", at(before))
                .mapTo(UUID.class)
                .list());
  }

  /** The public app a purchase is priced from, read on the primary under the bulkhead. */
  public Optional<AppRecord> publicApp(String slug) {
    return gate.call(() -> primary.withExtension(AppDao.class, dao -> dao.findPublic(slug)));
  }

  /** SIGNED purchases untouched since {@code before}: charges the gateway could not settle. */
  public int countSignedSince(Instant before) {
    return gated(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM store.purchases WHERE status = 'SIGNED'"
                        + " AND updated_at < :before")
                .bind("before", at(before))
                .mapTo(Integer.class)
                .one());
  }

  /** One transaction under the bulkhead. */
  private <T> T gated(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    return gate.call(() -> primary.inTransaction(work));
  }

  private static boolean move(Handle h, UUID purchaseId, String to, Instant now, String... from) {
    return h.createUpdate(
                "UPDATE store.purchases SET status = :to, updated_at = :now"
                    + " WHERE id = :id AND status IN (<from>)")
            .bind("id", purchaseId)
            .bind("to", to)
            .bind("now", at(now))
            .bindList("from", (Object[]) from)
            .execute()
        == 1;
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
