package net.appstore.keys.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/**
 * Walks the issuance log in sequence order and recomputes every hash: reports the first gap, broken
 * link or altered entry, and a head that does not match the last entry (rows deleted from the end).
 * Streams rows, so memory stays flat on long chains. Stateless, thread-safe.
 */
public final class ChainVerifier {

  private ChainVerifier() {}

  public static ChainReport verify(Handle handle) {
    long count = 0;
    long expectedSeq = 1;
    byte[] prev = IssuanceChain.GENESIS;
    try (Stream<ChainLink> rows =
        handle
            .createQuery(SELECT_LINKS + " ORDER BY seq")
            .setFetchSize(1000)
            .map((rs, ctx) -> link(rs))
            .stream()) {
      Iterator<ChainLink> it = rows.iterator();
      while (it.hasNext()) {
        ChainLink link = it.next();
        count++;
        if (link.seq() != expectedSeq) {
          return ChainReport.brokenAt(
              count,
              expectedSeq,
              "entry " + expectedSeq + " is missing (next is " + link.seq() + ")");
        }
        if (!Arrays.equals(link.prevHash(), prev)) {
          return ChainReport.brokenAt(
              count, link.seq(), "prev_hash does not match the hash of entry " + (link.seq() - 1));
        }
        byte[] recomputed = IssuanceChain.hash(link.seq(), link.entry(), prev);
        if (!Arrays.equals(recomputed, link.hash())) {
          return ChainReport.brokenAt(
              count, link.seq(), "entry " + link.seq() + " was altered (hash does not match)");
        }
        prev = link.hash();
        expectedSeq++;
      }
    }
    return checkHead(handle, count, expectedSeq - 1, prev);
  }

  private static ChainReport checkHead(Handle handle, long count, long lastSeq, byte[] lastHash) {
    ChainHead head = ChainHead.read(handle, false);
    if (head.seq() != lastSeq || !Arrays.equals(head.hash(), lastHash)) {
      return ChainReport.brokenAt(
          count,
          lastSeq + 1,
          "the chain head says the log ends at entry "
              + head.seq()
              + " but it ends at "
              + lastSeq
              + ": entries were removed from the end");
    }
    return ChainReport.intact(count);
  }

  /** Selects stored links; append a WHERE or ORDER BY clause. */
  static final String SELECT_LINKS =
      "SELECT seq, jti, purchase_id, document_type, kid, caller, claims_sha256, issued_at,"
          + " prev_hash, hash FROM audit.issuance_log";

  /** Maps a row selected by {@link #SELECT_LINKS}. */
  static ChainLink link(ResultSet rs) throws SQLException {
    IssuanceEntry entry =
        new IssuanceEntry(
            rs.getString("jti"),
            Optional.ofNullable(rs.getString("purchase_id")),
            IssuanceEntry.DocumentType.fromWireName(rs.getString("document_type")),
            rs.getString("kid"),
            rs.getString("caller"),
            rs.getBytes("claims_sha256"),
            rs.getTimestamp("issued_at").toInstant());
    return new ChainLink(rs.getLong("seq"), entry, rs.getBytes("prev_hash"), rs.getBytes("hash"));
  }
}
