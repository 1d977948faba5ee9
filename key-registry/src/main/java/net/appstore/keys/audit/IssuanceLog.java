package net.appstore.keys.audit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Appends to the hash-chained issuance log. Call it inside the transaction that makes the signed
 * document visible: the entry and the document commit together or not at all. Appends are
 * serialised by a row lock on the chain head, held until that transaction ends, so callers that
 * sign at high rates should append in batches (one lock, one commit for many entries). Stateless,
 * thread-safe; the {@link Handle} is the caller's.
 */
public final class IssuanceLog {

  private IssuanceLog() {}

  /**
   * Appends {@code entries} in order after the current head.
   *
   * @throws IllegalStateException when the handle is not inside a transaction (a lone append would
   *     release the head lock before the document is stored)
   */
  public static List<ChainLink> append(Handle handle, List<IssuanceEntry> entries) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("append to the issuance log inside a transaction");
    }
    ChainHead head = ChainHead.read(handle, true);
    List<ChainLink> links = new ArrayList<>(entries.size());
    long seq = head.seq();
    byte[] prev = head.hash();
    for (IssuanceEntry entry : entries) {
      seq++;
      byte[] hash = IssuanceChain.hash(seq, entry, prev);
      insert(handle, new ChainLink(seq, entry, prev, hash));
      links.add(new ChainLink(seq, entry, prev, hash));
      prev = hash;
    }
    handle
        .createUpdate("UPDATE audit.issuance_head SET seq = :seq, hash = :hash WHERE id = 1")
        .bind("seq", seq)
        .bind("hash", prev)
        .execute();
    return links;
  }

  private static void insert(Handle handle, ChainLink link) {
    IssuanceEntry entry = link.entry();
    handle
        .createUpdate(
            "INSERT INTO audit.issuance_log (seq, jti, purchase_id, document_type, kid, caller,"
                + " claims_sha256, issued_at, prev_hash, hash) VALUES (:seq, :jti, :purchaseId,"
                + " :documentType, :kid, :caller, :claimsSha256, :issuedAt, :prevHash, :hash)")
        .bind("seq", link.seq())
        .bind("jti", entry.jti())
        .bind("purchaseId", entry.purchaseId().orElse(null))
        .bind("documentType", entry.documentType().wireName())
        .bind("kid", entry.kid())
        .bind("caller", entry.caller())
        .bind("claimsSha256", entry.claimsSha256())
        .bind("issuedAt", Timestamp.from(entry.issuedAt()))
        .bind("prevHash", link.prevHash())
        .bind("hash", link.hash())
        .execute();
  }
}
