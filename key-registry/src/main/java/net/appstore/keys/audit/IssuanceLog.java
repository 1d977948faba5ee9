package net.appstore.keys.audit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Appends to the hash-chained issuance log. Call it inside the transaction that makes the signed
 * document visible: the entry and the document commit together or not at all. Appends are
 * serialised by a row lock on the chain head, held until that transaction ends, so callers that
 * sign at high rates should append in batches (one lock, one commit for many entries), and
 * long-lived writers should use an {@link IssuanceAppender}, which skips reading the head.
 * Stateless, thread-safe; the {@link Handle} is the caller's.
 */
public final class IssuanceLog {

  /**
   * One entry and the head move it makes, in one statement: the head moves from ({@code seq - 1},
   * {@code prev_hash}) to ({@code seq}, {@code hash}) only if it is exactly there, and the entry is
   * inserted only if the head moved. The row lock the {@code UPDATE} takes is held until the
   * transaction ends; a concurrent appender that committed first makes the condition false (READ
   * COMMITTED re-checks it on the new row version), so nothing is inserted out of chain.
   */
  private static final String APPEND_ONE =
      "WITH moved AS (UPDATE audit.issuance_head SET seq = :seq, hash = :hash"
          + " WHERE id = 1 AND seq = :seq - 1 AND hash = :prevHash RETURNING 1)"
          + " INSERT INTO audit.issuance_log (seq, jti, purchase_id, document_type, kid, caller,"
          + " claims_sha256, issued_at, prev_hash, hash) SELECT :seq, :jti,"
          + " CAST(:purchaseId AS text), :documentType, :kid, :caller, :claimsSha256,"
          + " CAST(:issuedAt AS timestamptz), :prevHash, :hash FROM moved";

  private IssuanceLog() {}

  /**
   * Appends {@code entries} in order after the current head (locked and read first).
   *
   * @throws IllegalStateException when the handle is not inside a transaction (a lone append would
   *     release the head lock before the document is stored)
   */
  public static List<ChainLink> append(Handle handle, List<IssuanceEntry> entries) {
    requireTransaction(handle);
    List<ChainLink> links = chain(ChainHead.read(handle, true), entries);
    if (!insertAfter(handle, links)) {
      throw new IllegalStateException("the locked issuance head moved");
    }
    return links;
  }

  static void requireTransaction(Handle handle) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("append to the issuance log inside a transaction");
    }
  }

  /** The links {@code entries} make after {@code head}; nothing is written. */
  static List<ChainLink> chain(ChainHead head, List<IssuanceEntry> entries) {
    List<ChainLink> links = new ArrayList<>(entries.size());
    long seq = head.seq();
    byte[] prev = head.hash();
    for (IssuanceEntry entry : entries) {
      seq++;
      byte[] hash = IssuanceChain.hash(seq, entry, prev);
      links.add(new ChainLink(seq, entry, prev, hash));
      prev = hash;
    }
    return links;
  }

  /**
   * Writes {@code links} and moves the head with them, as one JDBC batch (one round trip).
   *
   * @return true if every link was written; false if none was, because the head was not where the
   *     first link expects it (the caller's idea of the head is stale)
   * @throws IllegalStateException if only some were written (cannot happen while the first one
   *     holds the head's row lock; the transaction must be rolled back)
   */
  static boolean insertAfter(Handle handle, List<ChainLink> links) {
    if (links.isEmpty()) {
      return true;
    }
    PreparedBatch batch = handle.prepareBatch(APPEND_ONE);
    for (ChainLink link : links) {
      IssuanceEntry entry = link.entry();
      batch
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
          .add();
    }
    int[] inserted = batch.execute();
    long written = Arrays.stream(inserted).filter(n -> n == 1).count();
    if (written == links.size()) {
      return true;
    }
    if (written == 0) {
      return false;
    }
    throw new IllegalStateException(
        "issuance head moved in the middle of an append (" + written + " of " + links.size() + ")");
  }
}
