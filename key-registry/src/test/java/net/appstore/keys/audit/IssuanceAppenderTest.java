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

/** The remembered head is only a guess: every way it can be wrong must still give one chain. */
@PostgresTest
class IssuanceAppenderTest {

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

  private static IssuanceEntry entry() {
    int n = JTI.incrementAndGet();
    return new IssuanceEntry(
        "appender-jti-" + n,
        n % 2 == 0 ? Optional.of("purchase-" + n) : Optional.empty(),
        n % 2 == 0 ? DocumentType.RECEIPT : DocumentType.BLOCKLIST,
        "receipt-key-1",
        "store",
        IssuanceChain.claimsSha256("{\"n\":" + n + "}"),
        Instant.parse("2026-11-26T12:00:00.123456789Z"));
  }

  private List<ChainLink> append(IssuanceAppender appender, IssuanceEntry... entries) {
    return jdbi.inTransaction(h -> appender.append(h, List.of(entries)));
  }

  private ChainReport verify() {
    return jdbi.withHandle(ChainVerifier::verify);
  }

  @Test
  void append_severalBatches_sameChainAsTheStaticAppend() {
    IssuanceAppender appender = new IssuanceAppender();
    List<ChainLink> first = append(appender, entry(), entry(), entry());
    List<ChainLink> second = append(appender, entry());
    List<ChainLink> third = jdbi.inTransaction(h -> IssuanceLog.append(h, List.of(entry())));
    assertThat(first).extracting(ChainLink::seq).containsExactly(1L, 2L, 3L);
    assertThat(second.get(0).prevHash()).isEqualTo(first.get(2).hash());
    assertThat(third.get(0).prevHash()).isEqualTo(second.get(0).hash());
    assertThat(verify()).isEqualTo(ChainReport.intact(5));
  }

  @Test
  void append_anotherWriterAppendedMeanwhile_chainsAfterItsEntry() {
    IssuanceAppender appender = new IssuanceAppender();
    append(appender, entry());
    List<ChainLink> other = append(new IssuanceAppender(), entry(), entry());
    List<ChainLink> next = append(appender, entry());
    assertThat(next.get(0).seq()).isEqualTo(4L);
    assertThat(next.get(0).prevHash()).isEqualTo(other.get(1).hash());
    assertThat(verify()).isEqualTo(ChainReport.intact(4));
  }

  @Test
  void append_afterItsTransactionRolledBack_chainHasNoTraceOfIt() {
    IssuanceAppender appender = new IssuanceAppender();
    append(appender, entry());
    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    h -> {
                      appender.append(h, List.of(entry(), entry()));
                      throw new IllegalStateException("receipt insert failed");
                    }))
        .hasMessage("receipt insert failed");
    List<ChainLink> next = append(appender, entry());
    assertThat(next.get(0).seq()).isEqualTo(2L);
    assertThat(verify()).isEqualTo(ChainReport.intact(2));
  }

  @Test
  void append_outsideATransaction_isRefused() {
    IssuanceAppender appender = new IssuanceAppender();
    assertThatThrownBy(() -> jdbi.useHandle(h -> appender.append(h, List.of(entry()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a transaction");
  }

  @Test
  void append_concurrentAppendersInBatches_chainHasNoGapsOrForks() throws Exception {
    int writers = 4;
    int batchesEach = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        IssuanceAppender appender = new IssuanceAppender();
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < batchesEach; i++) {
                    append(appender, entry(), entry(), entry());
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(verify()).isEqualTo(ChainReport.intact((long) writers * batchesEach * 3));
  }
}
