package net.appstore.signer.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.appstore.keys.audit.IssuanceChain;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.keys.audit.IssuanceEntry.DocumentType;
import net.appstore.signer.core.IssuanceWriter.Outcome;
import net.appstore.signer.core.IssuanceWriter.Pending;
import net.appstore.signer.db.StoredReceipt;
import net.appstore.signer.testing.Ledger;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
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
    IssuanceWriter writer =
        new IssuanceWriter(
            jdbi, 64, 1024, Duration.ofSeconds(10), Duration.ofSeconds(2), new MetricRegistry());
    writer.start();
    writers.add(writer);
    return writer;
  }

  private static Pending receipt(String purchaseId) {
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
            "USD",
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
    var report = ledger.verifyChain();
    assertThat(report.isIntact()).as(report.problem().orElse("")).isTrue();
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
    var report = ledger.verifyChain();
    assertThat(report.isIntact()).as(report.problem().orElse("")).isTrue();
  }

  private static String purchaseOf(Pending pending) {
    return pending.receipt().orElseThrow().purchaseId();
  }
}
