package net.appstore.signer.core;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.appstore.keys.audit.IssuanceAppender;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.db.ReceiptDao;
import net.appstore.signer.db.StoredReceipt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes signed documents visible and logged in one transaction, many at a time (group commit).
 *
 * <p>Every issuance-log append locks the chain head until its transaction commits, so one
 * transaction per request would serialise the service on commit latency. Instead the request
 * threads take turns as the leader (leader/follower group commit): a request whose document finds
 * no commit in progress becomes the leader and commits, on its own thread, whatever is queued (up
 * to {@code maxBatch}, its own document included); a request that finds a commit in progress queues
 * its document and waits. When the leader's commit ends it wakes the waiters: those whose documents
 * it committed return, and one of the others leads the next batch. While a commit runs, the next
 * batch gathers, so the batch size follows the load by itself, and a lone request commits without
 * waking any other thread (a separate writer thread cost two thread wake-ups per request).
 *
 * <p>A batch is three round trips whatever its size: the receipts as one batched insert, their log
 * entries as one batched append after the head the previous batch left ({@link IssuanceAppender}:
 * no read of the head unless another writer moved it), and the commit.
 *
 * <p>A receipt whose purchase id was taken meanwhile (two concurrent requests for one purchase) is
 * neither stored nor logged, and its signature is dropped: the caller gets the stored receipt or
 * 409. If a batch fails, its documents are retried one per transaction, so one bad row cannot fail
 * the others; if the database is down, every waiter gets 503 and nothing was issued.
 *
 * <p>Time bounds: a waiting request gives up after {@code writeTimeout} (503; if its document was
 * still queued it is withdrawn, otherwise the commit may still land and a retry gets the stored
 * receipt). The leader's own wait is bounded by the database connection's statement and socket
 * timeouts ({@code config/signer.yml}), not by {@code writeTimeout}.
 *
 * <p>Thread-safe.
 */
public final class IssuanceWriter implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(IssuanceWriter.class);

  /** 503 reason when the database cannot take the issuance. */
  public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";

  /** What happened to a submitted document. */
  public enum Outcome {
    /** Stored (receipts) and logged: it may be returned. */
    COMMITTED,
    /** The purchase already has a receipt: nothing stored or logged. */
    DUPLICATE_PURCHASE
  }

  /**
   * A signed document waiting to be committed.
   *
   * @param receipt the receipt row, or empty for a blocklist (logged only)
   * @param entry its issuance-log entry
   */
  public record Pending(Optional<StoredReceipt> receipt, IssuanceEntry entry) {
    public Pending {
      Objects.requireNonNull(receipt, "receipt");
      Objects.requireNonNull(entry, "entry");
    }
  }

  private record Waiting(Pending pending, CompletableFuture<Outcome> result) {}

  private final Jdbi jdbi;
  private final IssuanceAppender log = new IssuanceAppender();
  private final int maxBatch;
  private final int queueCapacity;
  private final Duration writeTimeout;
  private final Duration retryAfter;
  private final Histogram batchSizes;
  private final Timer commits;
  private final Timer waits;

  /** Guards {@link #queue}, {@link #leading} and {@link #running}; waiters wait on it. */
  private final Object turn = new Object();

  private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
  private boolean leading;
  private boolean running;

  public IssuanceWriter(
      Jdbi jdbi,
      int maxBatch,
      int queueCapacity,
      Duration writeTimeout,
      Duration retryAfter,
      MetricRegistry metrics) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.maxBatch = maxBatch;
    this.queueCapacity = queueCapacity;
    this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.batchSizes = metrics.histogram("signer.issuance.batch_size");
    this.commits = metrics.timer("signer.issuance.commit");
    this.waits = metrics.timer("signer.issuance.wait");
    metrics.gauge("signer.issuance.queued", () -> this::queued);
  }

  /** Documents waiting for a turn (not those of the commit in progress). */
  int queued() {
    synchronized (turn) {
      return queue.size();
    }
  }

  /**
   * Commits {@code pending} and waits for the outcome, leading the commit if none is in progress.
   *
   * @throws ServiceUnavailableException {@value #DATABASE_UNAVAILABLE} if the queue is full, the
   *     commit failed, or it did not finish within the write timeout (it may still land: a retry of
   *     the same purchase then gets the stored receipt)
   */
  public Outcome commit(Pending pending) {
    Waiting mine = new Waiting(pending, new CompletableFuture<>());
    try (Timer.Context ignored = waits.time()) {
      long deadline = System.nanoTime() + writeTimeout.toNanos();
      enqueue(mine);
      while (!mine.result().isDone()) {
        lead(awaitTurnOrOutcome(mine, deadline));
      }
      return mine.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for the database", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ServiceUnavailableException refused) {
        throw refused;
      }
      throw unavailable("the database refused the issuance", e.getCause());
    }
  }

  /** Commits {@code batch} (if any) as this thread's turn, then hands the turn over. */
  private void lead(List<Waiting> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      write(batch);
    } finally {
      // Whatever was thrown, every document taken has an outcome, or its waiter would wait for
      // a turn that never comes.
      for (Waiting w : batch) {
        w.result().completeExceptionally(new IllegalStateException("the commit ended abruptly"));
      }
      handOver();
    }
  }

  private void enqueue(Waiting waiting) {
    synchronized (turn) {
      if (!running) {
        throw unavailable("the signer is stopping", null);
      }
      if (queue.size() >= queueCapacity) {
        throw unavailable("too many documents are waiting for the database", null);
      }
      queue.addLast(waiting);
    }
  }

  /**
   * Waits until {@code mine} has its outcome (returns no batch) or no commit is in progress
   * (returns the next batch, its oldest documents first, which this thread must now write: it
   * leads).
   *
   * @throws ServiceUnavailableException when the deadline passes first; a document still queued is
   *     withdrawn (also when interrupted), so nothing is issued for it
   */
  private List<Waiting> awaitTurnOrOutcome(Waiting mine, long deadline)
      throws InterruptedException {
    synchronized (turn) {
      while (leading && !mine.result().isDone()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          boolean withdrawn = queue.remove(mine);
          throw unavailable(
              "the database did not commit within "
                  + writeTimeout
                  + (withdrawn ? "; nothing was issued" : ""),
              null);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(turn, left);
        } catch (InterruptedException e) {
          queue.remove(mine);
          throw e;
        }
      }
      if (mine.result().isDone()) {
        return List.of();
      }
      // Not done and no commit in progress: it is still queued, so the batch holds at least one.
      leading = true;
      List<Waiting> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
      while (batch.size() < maxBatch && !queue.isEmpty()) {
        batch.add(queue.pollFirst());
      }
      return batch;
    }
  }

  /** Ends this thread's turn: wakes the committed waiters and lets one of the others lead. */
  private void handOver() {
    synchronized (turn) {
      leading = false;
      turn.notifyAll();
    }
  }

  @Override
  public void start() {
    synchronized (turn) {
      running = true;
    }
  }

  /**
   * Refuses new documents and those still queued (nothing issued); a commit in progress finishes on
   * its leader's thread.
   */
  @Override
  public void stop() {
    List<Waiting> left;
    synchronized (turn) {
      running = false;
      left = new ArrayList<>(queue);
      queue.clear();
      turn.notifyAll();
    }
    for (Waiting w : left) {
      w.result().completeExceptionally(unavailable("the signer is stopping", null));
    }
  }

  private void write(List<Waiting> batch) {
    batchSizes.update(batch.size());
    try (Timer.Context ignored = commits.time()) {
      List<Outcome> outcomes = jdbi.inTransaction(handle -> store(handle, batch));
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(outcomes.get(i));
      }
    } catch (RuntimeException e) {
      if (batch.size() > 1 && isDataProblem(e)) {
        LOG.warn(
            "issuance batch of {} refused, retrying one by one: {}", batch.size(), e.toString());
        for (Waiting w : batch) {
          write(List.of(w));
        }
        return;
      }
      LOG.error("issuance commit of {} document(s) failed: {}", batch.size(), e.toString());
      for (Waiting w : batch) {
        w.result().completeExceptionally(e);
      }
    }
  }

  /**
   * An integrity or data error (SQLSTATE classes 22 and 23) is about one row; anything else
   * (connection, timeout) would fail every retry as well.
   */
  private static boolean isDataProblem(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23");
      }
    }
    return false;
  }

  private List<Outcome> store(Handle handle, List<Waiting> batch) {
    List<StoredReceipt> receipts = new ArrayList<>(batch.size());
    for (Waiting w : batch) {
      w.pending().receipt().ifPresent(receipts::add);
    }
    int[] inserted =
        receipts.isEmpty()
            ? new int[0]
            : handle.attach(ReceiptDao.class).insertAllIfAbsent(receipts);
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    List<IssuanceEntry> entries = new ArrayList<>(batch.size());
    int receipt = 0;
    for (Waiting w : batch) {
      if (w.pending().receipt().isPresent() && inserted[receipt++] != 1) {
        outcomes.add(Outcome.DUPLICATE_PURCHASE);
        continue;
      }
      outcomes.add(Outcome.COMMITTED);
      entries.add(w.pending().entry());
    }
    log.append(handle, entries);
    return outcomes;
  }

  private ServiceUnavailableException unavailable(String message, Throwable cause) {
    return new ServiceUnavailableException(DATABASE_UNAVAILABLE, message, retryAfter, cause);
  }
}
