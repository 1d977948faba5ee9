package net.appstore.signer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.appstore.keys.audit.IssuanceChain;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.keys.audit.IssuanceEntry.DocumentType;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.core.IssuanceWriter.Outcome;
import net.appstore.signer.core.IssuanceWriter.Pending;
import net.appstore.signer.db.StoredReceipt;
import net.appstore.signer.testing.Ledger;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit against real PostgreSQL: batched receipt inserts and batched log appends keep
 * "stored exactly when logged" and one intact chain, also beside a second writer (another signer
 * instance on the same database).
 */
@PostgresTest
class IssuanceWriterTest {

  private Jdbi jdbi;
  private Ledger ledger;
  private final List<IssuanceWriter> writers = new ArrayList<>();

  @BeforeEach
  void migrate(PostgresTestDatabase db) {
    jdbi = RunningSigner.migrated(db);
    ledger = new Ledger(jdbi);
  }

  @AfterEach
  void stopWriters() throws InterruptedException {
    for (IssuanceWriter writer : writers) {
      writer.stop();
    }
  }

  private IssuanceWriter startWriter() {
    return startWriter(Duration.ofSeconds(10), new MetricRegistry());
  }

  private IssuanceWriter startWriter(Duration writeTimeout, MetricRegistry metrics) {
    IssuanceWriter writer =
        new IssuanceWriter(jdbi, 64, 1024, writeTimeout, Duration.ofSeconds(2), metrics);
    writer.start();
    writers.add(writer);
    return writer;
  }

  private static Pending receipt(String purchaseId) {
    return receipt(purchaseId, "USD");
  }

  /** A receipt with this currency; the table's CHECK refuses a lower-case one (SQLSTATE 23514). */
  private static Pending receipt(String purchaseId, String currency) {
    String jti = UUID.randomUUID().toString();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    StoredReceipt stored =
        new StoredReceipt(
            purchaseId,
            jti,
            new byte[32],
            "store-caller",
            "https://store.example",
            "purchase-receipt",
            "receipt-key-1",
            "0.99",
            currency,
            now.minusSeconds(60),
            now,
            now.plus(Duration.ofDays(180)),
            "header.payload-" + jti + ".signature");
    return new Pending(Optional.of(stored), entry(jti, Optional.of(purchaseId), now));
  }

  private static Pending blocklist() {
    return new Pending(
        Optional.empty(), entry("blocklist-" + UUID.randomUUID(), Optional.empty(), Instant.now()));
  }

  private static IssuanceEntry entry(String jti, Optional<String> purchaseId, Instant at) {
    return new IssuanceEntry(
        jti,
        purchaseId,
        purchaseId.isPresent() ? DocumentType.RECEIPT : DocumentType.BLOCKLIST,
        "receipt-key-1",
        "store-caller",
        IssuanceChain.claimsSha256("{\"jti\":\"" + jti + "\"}"),
        at);
  }

  /** Submits every pending document at once from its own thread; outcomes in submission order. */
  private static List<Outcome> commitConcurrently(List<IssuanceWriter> writers, List<Pending> docs)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Outcome>> calls = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        IssuanceWriter writer = writers.get(i % writers.size());
        Pending doc = docs.get(i);
        calls.add(() -> writer.commit(doc));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : callers.invokeAll(calls)) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void commit_concurrentDocumentsWithDuplicatePurchases_eachPurchaseStoredAndLoggedOnce()
      throws Exception {
    long receiptsBefore = ledger.receipts();
    long logBefore = ledger.logEntries();
    List<Pending> docs = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      // Every tenth document asks for the same purchase as the one before it.
      docs.add(
          i % 10 == 9
              ? receipt(purchaseOf(docs.get(i - 1)))
              : receipt(UUID.randomUUID().toString()));
      if (i % 20 == 0) {
        docs.add(blocklist());
      }
    }

    List<Outcome> outcomes = commitConcurrently(List.of(startWriter()), docs);

    long committed = outcomes.stream().filter(o -> o == Outcome.COMMITTED).count();
    assertThat(outcomes).filteredOn(o -> o == Outcome.DUPLICATE_PURCHASE).hasSize(8);
    assertThat(ledger.receipts() - receiptsBefore).isEqualTo(72);
    assertThat(ledger.logEntries() - logBefore).isEqualTo(committed).isEqualTo(76);
    assertChainIntact();
  }

  @Test
  void commit_twoWritersOnOneDatabase_oneIntactChainWithEveryDocument() throws Exception {
    long logBefore = ledger.logEntries();
    List<Pending> docs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      docs.add(receipt(UUID.randomUUID().toString()));
    }

    List<Outcome> outcomes = commitConcurrently(List.of(startWriter(), startWriter()), docs);

    assertThat(outcomes).containsOnly(Outcome.COMMITTED);
    assertThat(ledger.logEntries() - logBefore).isEqualTo(60);
    assertChainIntact();
  }

  /**
   * Holds the issuance head's row lock in a transaction of its own, so that a leader's append waits
   * for it: a commit stays in progress until {@link HeadLock#close}.
   */
  private final class HeadLock implements AutoCloseable {
    private final Handle handle = jdbi.open();

    HeadLock() {
      handle.begin();
      handle
          .createQuery("SELECT seq FROM audit.issuance_head WHERE id = 1 FOR UPDATE")
          .mapTo(Long.class)
          .one();
    }

    /** Waits until some other session waits for a lock (the leader, on the head). */
    void awaitLeaderBlocked() {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  jdbi.withHandle(
                          h ->
                              h.createQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")
                                  .mapTo(Long.class)
                                  .one())
                      > 0);
    }

    @Override
    public void close() {
      handle.rollback();
      handle.close();
    }
  }

  private static Future<Outcome> submit(ExecutorService callers, IssuanceWriter w, Pending doc) {
    return callers.submit(() -> w.commit(doc));
  }

  /** Submits a commit and waits until it waits in the writer's queue. */
  private static Future<Outcome> enqueue(ExecutorService callers, IssuanceWriter w, Pending doc) {
    int before = w.queued();
    Future<Outcome> outcome = submit(callers, w, doc);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.queued() == before + 1);
    return outcome;
  }

  @Test
  void commit_noCommitInProgress_writtenOnTheCallersThreadWithoutAHandoff() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    jdbi.getConfig(SqlStatements.class)
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext context) {
                threads.add(Thread.currentThread().getName());
              }
            });
    IssuanceWriter writer = startWriter();

    assertThat(writer.commit(receipt(UUID.randomUUID().toString()))).isEqualTo(Outcome.COMMITTED);
    assertThat(writer.commit(blocklist())).isEqualTo(Outcome.COMMITTED);

    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void commit_whileACommitIsInProgress_waitersGoTogetherInTheNextBatch() throws Exception {
    MetricRegistry metrics = new MetricRegistry();
    IssuanceWriter writer = startWriter(Duration.ofSeconds(10), metrics);
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      Future<Outcome> leader;
      List<Future<Outcome>> followers = new ArrayList<>();
      Pending first = receipt(UUID.randomUUID().toString());
      Pending again = receipt(purchaseOf(first));
      try (HeadLock lock = new HeadLock()) {
        leader = submit(callers, writer, receipt(UUID.randomUUID().toString()));
        lock.awaitLeaderBlocked();
        // One at a time: two executor threads submitted together may reach the queue in
        // either order, and the duplicate must be the one queued second.
        followers.add(enqueue(callers, writer, first));
        followers.add(enqueue(callers, writer, again));
        for (int i = 0; i < 3; i++) {
          followers.add(enqueue(callers, writer, receipt(UUID.randomUUID().toString())));
        }
        assertThat(writer.queued()).isEqualTo(5);
      }

      assertThat(leader.get()).isEqualTo(Outcome.COMMITTED);
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : followers) {
        outcomes.add(f.get());
      }
      assertThat(outcomes)
          .containsExactly(
              Outcome.COMMITTED,
              Outcome.DUPLICATE_PURCHASE,
              Outcome.COMMITTED,
              Outcome.COMMITTED,
              Outcome.COMMITTED);
      var batches = metrics.histogram("signer.issuance.batch_size").getSnapshot();
      assertThat(batches.getValues()).containsExactly(1, 5);
      assertChainIntact();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void commit_waiterTimesOutWhileQueued_withdrawnAndNothingIssued() throws Exception {
    IssuanceWriter writer = startWriter(Duration.ofMillis(300), new MetricRegistry());
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      Pending late = receipt(UUID.randomUUID().toString());
      Future<Outcome> leader;
      try (HeadLock lock = new HeadLock()) {
        leader = submit(callers, writer, receipt(UUID.randomUUID().toString()));
        lock.awaitLeaderBlocked();

        assertThatThrownBy(() -> writer.commit(late))
            .isInstanceOf(ServiceUnavailableException.class)
            .hasMessageContaining("nothing was issued");
        assertThat(writer.queued()).isZero();
      }

      assertThat(leader.get()).isEqualTo(Outcome.COMMITTED);
      assertThat(writer.commit(receipt(UUID.randomUUID().toString()))).isEqualTo(Outcome.COMMITTED);
      assertThat(ledger.receiptOf(purchaseOf(late))).isEmpty();
      assertThat(ledger.logEntriesOfJti(late.entry().jti())).isZero();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void commit_batchWithARowTheDatabaseRefuses_othersCommittedAndTheNextLeaderWrites()
      throws Exception {
    IssuanceWriter writer = startWriter();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Future<Outcome> leader;
      Future<Outcome> refused;
      Future<Outcome> fine;
      try (HeadLock lock = new HeadLock()) {
        leader = submit(callers, writer, receipt(UUID.randomUUID().toString()));
        lock.awaitLeaderBlocked();
        refused = submit(callers, writer, receipt(UUID.randomUUID().toString(), "usd"));
        fine = submit(callers, writer, receipt(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 2);
      }

      assertThat(leader.get()).isEqualTo(Outcome.COMMITTED);
      assertThat(fine.get()).isEqualTo(Outcome.COMMITTED);
      assertThatThrownBy(refused::get)
          .hasCauseInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("refused");
      assertThat(writer.commit(receipt(UUID.randomUUID().toString()))).isEqualTo(Outcome.COMMITTED);
      assertChainIntact();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void stop_withDocumentsQueued_refusesThemAndTheCommitInProgressFinishes() throws Exception {
    IssuanceWriter writer = startWriter();
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      Pending queued = receipt(UUID.randomUUID().toString());
      Future<Outcome> leader;
      Future<Outcome> follower;
      try (HeadLock lock = new HeadLock()) {
        leader = submit(callers, writer, receipt(UUID.randomUUID().toString()));
        lock.awaitLeaderBlocked();
        follower = submit(callers, writer, queued);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 1);
        writer.stop();
      }

      assertThat(leader.get()).isEqualTo(Outcome.COMMITTED);
      assertThatThrownBy(follower::get)
          .hasCauseInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("stopping");
      assertThat(ledger.receiptOf(purchaseOf(queued))).isEmpty();
      assertThatThrownBy(() -> writer.commit(receipt(UUID.randomUUID().toString())))
          .isInstanceOf(ServiceUnavailableException.class);
    } finally {
      callers.shutdownNow();
    }
  }

  private void assertChainIntact() {
    var report = ledger.verifyChain();
    assertThat(report.isIntact()).as(report.problem().orElse("")).isTrue();
  }

  private static String purchaseOf(Pending pending) {
    return pending.receipt().orElseThrow().purchaseId();
  }
}
