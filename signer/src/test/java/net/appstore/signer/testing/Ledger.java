package net.appstore.signer.testing;

import java.util.List;
import java.util.Map;
import net.appstore.keys.audit.ChainReport;
import net.appstore.keys.audit.ChainVerifier;
import org.jdbi.v3.core.Jdbi;

/** Reads what the signer recorded: receipts and the issuance log. */
public final class Ledger {

  private final Jdbi jdbi;

  public Ledger(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public long receipts() {
    return count("signer.receipt");
  }

  public long logEntries() {
    return count("audit.issuance_log");
  }

  public ChainReport verifyChain() {
    return jdbi.withHandle(ChainVerifier::verify);
  }

  /** The issuance-log row of a jti, as a column map. */
  public Map<String, Object> logEntry(String jti) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM audit.issuance_log WHERE jti = :jti")
                .bind("jti", jti)
                .mapToMap()
                .one());
  }

  /** The stored receipt's jti for a purchase, if one is stored. */
  public java.util.Optional<String> receiptOf(String purchaseId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT jti FROM signer.receipt WHERE purchase_id = :id")
                .bind("id", purchaseId)
                .mapTo(String.class)
                .findOne());
  }

  public long logEntriesOfJti(String jti) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM audit.issuance_log WHERE jti = :jti")
                .bind("jti", jti)
                .mapTo(Long.class)
                .one());
  }

  public List<Map<String, Object>> logEntriesOfType(String documentType) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM audit.issuance_log WHERE document_type = :type ORDER BY seq")
                .bind("type", documentType)
                .mapToMap()
                .list());
  }

  private long count(String table) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }
}
