package net.appstore.keys.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.appstore.keys.RegistryDatabase;
import net.appstore.keys.audit.IssuanceEntry.DocumentType;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@PostgresTest
class IssuanceLogTest {

  private static final AtomicInteger JTI = new AtomicInteger();
  private Jdbi jdbi;

  @BeforeEach
  void freshChain(PostgresTestDatabase db) {
    jdbi = RegistryDatabase.migrated(db);
    jdbi.useTransaction(
        h -> {
          h.execute("DELETE FROM audit.issuance_log");
          h.execute(
              "UPDATE audit.issuance_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')");
        });
  }

  private static IssuanceEntry entry(String caller) {
    return new IssuanceEntry(
        "jti-" + JTI.incrementAndGet(),
        Optional.of("purchase-" + JTI.get()),
        DocumentType.RECEIPT,
        "receipt-key-1",
        caller,
        IssuanceChain.claimsSha256("{\"n\":" + JTI.get() + "}"),
        Instant.parse("2026-11-26T12:00:00.123456789Z"));
  }

  private List<ChainLink> append(IssuanceEntry... entries) {
    return jdbi.inTransaction(h -> IssuanceLog.append(h, List.of(entries)));
  }

  private ChainReport verify() {
    return jdbi.withHandle(ChainVerifier::verify);
  }

  @Test
  void append_twoBatches_chainIsIntactAndNumberedFromOne() {
    List<ChainLink> first = append(entry("store"), entry("store"));
    List<ChainLink> second = append(entry("store"));
    assertThat(first).extracting(ChainLink::seq).containsExactly(1L, 2L);
    assertThat(second.get(0).seq()).isEqualTo(3L);
    assertThat(second.get(0).prevHash()).isEqualTo(first.get(1).hash());
    assertThat(verify()).isEqualTo(ChainReport.intact(3));
  }

  @Test
  void append_outsideATransaction_isRefused() {
    assertThatThrownBy(() -> jdbi.useHandle(h -> IssuanceLog.append(h, List.of(entry("store")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a transaction");
  }

  @Test
  void append_transactionRolledBack_leavesNoTraceInTheChain() {
    append(entry("store"));
    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    h -> {
                      IssuanceLog.append(h, List.of(entry("store")));
                      throw new IllegalStateException("receipt insert failed");
                    }))
        .hasMessage("receipt insert failed");
    assertThat(append(entry("store")).get(0).seq()).isEqualTo(2L);
    assertThat(verify().isIntact()).isTrue();
  }

  @Test
  void verify_entryAltered_reportsItsSequenceNumber() {
    append(entry("store"), entry("store"), entry("store"));
    jdbi.useHandle(
        h -> h.execute("UPDATE audit.issuance_log SET caller = 'mallory' WHERE seq = 2"));
    ChainReport report = verify();
    assertThat(report.firstBadSeq()).contains(2L);
    assertThat(report.problem().orElseThrow()).contains("altered");
  }

  @Test
  void verify_middleEntryDeleted_reportsTheGap() {
    append(entry("store"), entry("store"), entry("store"));
    jdbi.useHandle(h -> h.execute("DELETE FROM audit.issuance_log WHERE seq = 2"));
    ChainReport report = verify();
    assertThat(report.firstBadSeq()).contains(2L);
    assertThat(report.problem().orElseThrow()).contains("missing");
  }

  @Test
  void verify_lastEntryDeleted_reportsTheHeadMismatch() {
    append(entry("store"), entry("store"));
    jdbi.useHandle(h -> h.execute("DELETE FROM audit.issuance_log WHERE seq = 2"));
    ChainReport report = verify();
    assertThat(report.firstBadSeq()).contains(2L);
    assertThat(report.problem().orElseThrow()).contains("removed from the end");
  }

  @Test
  void verify_hashRecomputedAfterAlteration_stillCaughtByTheNextLink() {
    append(entry("store"), entry("store"), entry("store"));
    ChainLink original = jdbi.withHandle(h -> readLink(h, 2));
    IssuanceEntry forged =
        new IssuanceEntry(
            original.entry().jti(),
            original.entry().purchaseId(),
            original.entry().documentType(),
            original.entry().kid(),
            "mallory",
            original.entry().claimsSha256(),
            original.entry().issuedAt());
    byte[] forgedHash = IssuanceChain.hash(2, forged, original.prevHash());
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE audit.issuance_log SET caller = 'mallory', hash = :hash WHERE seq = 2")
                .bind("hash", forgedHash)
                .execute());
    assertThat(verify().firstBadSeq()).contains(3L);
  }

  @Test
  void append_concurrentWriters_chainHasNoGapsOrForks() throws Exception {
    int writers = 6;
    int appendsEach = 20;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < appendsEach; i++) {
                    append(entry("caller"));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(verify()).isEqualTo(ChainReport.intact((long) writers * appendsEach));
  }

  private static ChainLink readLink(org.jdbi.v3.core.Handle h, long seq) {
    return h.createQuery(ChainVerifier.SELECT_LINKS + " WHERE seq = :seq")
        .bind("seq", seq)
        .map((rs, ctx) -> ChainVerifier.link(rs))
        .one();
  }
}
