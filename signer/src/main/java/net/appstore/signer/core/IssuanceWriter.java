package net.appstore.signer.core;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * transaction per request would serialise the service on commit latency. Instead, request threads
 * hand their signed documents to this writer and wait; one writer thread takes whatever is queued
 * (up to {@code maxBatch}), stores the receipts ({@code ON CONFLICT DO NOTHING} on the purchase
 * id), appends one issuance entry per stored document, commits, and wakes the waiters. While a
 * commit runs, the next batch gathers, so the batch size follows the load by itself.
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
  private final BlockingQueue<Waiting> queue;
  private final int maxBatch;
  private final Duration writeTimeout;
  private final Duration retryAfter;
  private final Histogram batchSizes;
  private final Timer commits;
  private final Timer waits;
  private volatile boolean running;
  private Thread writer;

  public IssuanceWriter(
      Jdbi jdbi,
      int maxBatch,
      int queueCapacity,
      Duration writeTimeout,
      Duration retryAfter,
      MetricRegistry metrics) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.batchSizes = metrics.histogram("signer.issuance.batch_size");
    this.commits = metrics.timer("signer.issuance.commit");
    this.waits = metrics.timer("signer.issuance.wait");
  }

  /**
   * Commits {@code pending} and waits for the outcome.
   *
   * @throws ServiceUnavailableException {@value #DATABASE_UNAVAILABLE} if the queue is full, the
   *     commit failed, or it did not finish within the write timeout (it may still land: a retry of
   *     the same purchase then gets the stored receipt)
   */
  public Outcome commit(Pending pending) {
    if (!running) {
      throw unavailable("the signer is stopping", null);
    }
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    if (!queue.offer(new Waiting(pending, result))) {
      throw unavailable("too many documents are waiting for the database", null);
    }
    try (Timer.Context ignored = waits.time()) {
      return result.get(writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw unavailable("the database did not commit within " + writeTimeout, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for the database", e);
    } catch (ExecutionException e) {
      throw unavailable("the database refused the issuance", e.getCause());
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    writer = new Thread(this::run, "issuance-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Lets the batch in progress finish; documents still queued are refused (nothing issued). */
  @Override
  public synchronized void stop() throws InterruptedException {
    running = false;
    if (writer != null) {
      writer.interrupt();
      writer.join(writeTimeout.toMillis());
    }
    List<Waiting> left = new ArrayList<>();
    queue.drainTo(left);
    for (Waiting w : left) {
      w.result().completeExceptionally(new IllegalStateException("the signer is stopping"));
    }
  }

  private void run() {
    List<Waiting> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, maxBatch - 1);
      write(batch);
      batch.clear();
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
