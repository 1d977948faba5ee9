package net.appstore.keys.audit;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;

/**
 * Appends to the issuance log like {@link IssuanceLog#append}, for a long-lived writer: it
 * remembers the head its last append left, so an append is one round trip (one batched statement
 * that moves the head only if it is still there, and inserts the entries only if it moved) instead
 * of reading the head first. When the remembered head is stale (another writer appended, or the
 * transaction of the last append rolled back), nothing is written, the head is locked and read, and
 * the append is made after it: the chain is the same as {@link IssuanceLog#append} would make.
 *
 * <p>Thread-safe; meant for one writer thread (concurrent appends stay correct, they only fall back
 * to reading the head more often).
 */
public final class IssuanceAppender {

  private final AtomicReference<ChainHead> lastKnown = new AtomicReference<>();

  /**
   * Appends {@code entries} in order after the current head, inside the handle's transaction.
   *
   * @throws IllegalStateException when the handle is not inside a transaction
   */
  public List<ChainLink> append(Handle handle, List<IssuanceEntry> entries) {
    IssuanceLog.requireTransaction(handle);
    if (entries.isEmpty()) {
      return List.of();
    }
    ChainHead expected = lastKnown.get();
    if (expected != null) {
      List<ChainLink> links = IssuanceLog.chain(expected, entries);
      if (IssuanceLog.insertAfter(handle, links)) {
        remember(links);
        return links;
      }
    }
    List<ChainLink> links = IssuanceLog.append(handle, entries);
    remember(links);
    return links;
  }

  /**
   * Remembered before the commit: if the transaction rolls back, the next append finds the head
   * elsewhere and reads it, so a wrong guess costs a round trip, never a broken chain.
   */
  private void remember(List<ChainLink> links) {
    ChainLink last = links.get(links.size() - 1);
    lastKnown.set(new ChainHead(last.seq(), last.hash()));
  }
}
