package net.appstore.keys.audit;

import org.jdbi.v3.core.Handle;

/** The end of the chain as {@code audit.issuance_head} records it. */
record ChainHead(long seq, byte[] hash) {

  /** Reads the head; {@code lock} holds it until the transaction ends (appenders need that). */
  static ChainHead read(Handle handle, boolean lock) {
    return handle
        .createQuery(
            "SELECT seq, hash FROM audit.issuance_head WHERE id = 1" + (lock ? " FOR UPDATE" : ""))
        .map((rs, ctx) -> new ChainHead(rs.getLong("seq"), rs.getBytes("hash")))
        .one();
  }
}
