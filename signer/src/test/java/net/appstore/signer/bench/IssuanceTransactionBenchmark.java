package net.appstore.signer.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import net.appstore.keys.audit.ChainReport;
import net.appstore.keys.audit.ChainVerifier;
import net.appstore.keys.audit.IssuanceAppender;
import net.appstore.keys.audit.IssuanceChain;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.keys.audit.IssuanceEntry.DocumentType;
import net.appstore.signer.db.ReceiptDao;
import net.appstore.signer.db.SignerMigrations;
import net.appstore.signer.db.StoredReceipt;
import net.appstore.testkit.pg.PostgresCluster;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The issuance transaction alone, before and after issue #3, interleaved in blocks on one cluster
 * so that whatever else loads the machine loads both alike: the former five-statement transaction
 * (insert receipt, lock and read the head, insert the entry, update the head, commit; one insert
 * per receipt and per entry in a batch) against the current three round trips (batched receipts,
 * batched append after the remembered head, commit). Both build one chain, verified at the end.
 *
 * <pre>
 *   java ... net.appstore.signer.bench.IssuanceTransactionBenchmark [--rounds 400] [--batch 1]
 * </pre>
 */
public final class IssuanceTransactionBenchmark {

  private static final PrintStream OUT = System.err;
  private static final int BLOCK = 50;

  public static void main(String[] args) throws Exception {
    int rounds = 400;
    int batch = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createDirectories(Path.of("target", "bench"));
    try (PostgresCluster cluster =
        PostgresCluster.builder(Files.createTempDirectory(work.toAbsolutePath(), "pg-tx-"))
            .start()) {
      Jdbi jdbi = withPlugins(Jdbi.create(migrated(cluster)));
      IssuanceAppender appender = new IssuanceAppender();
      long[] before = new long[rounds];
      long[] after = new long[rounds];
      long[] beforeStatements = new long[rounds];
      long[] afterStatements = new long[rounds];
      int n = 0;
      try (Handle handle = jdbi.open()) {
        for (int warm = 0; warm < 2 * BLOCK; warm++) {
          List<StoredReceipt> receipts = receipts(batch);
          handle.useTransaction(h -> former(h, receipts));
          List<StoredReceipt> more = receipts(batch);
          handle.useTransaction(h -> current(h, appender, more));
        }
        while (n < rounds) {
          for (int i = 0; i < BLOCK && n + i < rounds; i++) {
            List<StoredReceipt> receipts = receipts(batch);
            long start = System.nanoTime();
            handle.begin();
            former(handle, receipts);
            beforeStatements[n + i] = System.nanoTime() - start;
            handle.commit();
            before[n + i] = System.nanoTime() - start;
          }
          for (int i = 0; i < BLOCK && n + i < rounds; i++) {
            List<StoredReceipt> receipts = receipts(batch);
            long start = System.nanoTime();
            handle.begin();
            current(handle, appender, receipts);
            afterStatements[n + i] = System.nanoTime() - start;
            handle.commit();
            after[n + i] = System.nanoTime() - start;
          }
          n += BLOCK;
        }
        ChainReport chain = ChainVerifier.verify(handle);
        if (!chain.isIntact()) {
          throw new IllegalStateException("chain broken: " + chain.problem().orElse(""));
        }
      }
      OUT.printf(
          Locale.ROOT,
          "issuance transaction, batch of %d, %d each, blocks of %d: former p50 %.2f ms p99 %.2f"
              + " ms (statements before the commit p50 %.2f ms); current p50 %.2f ms p99 %.2f ms"
              + " (statements p50 %.2f ms); chain intact; load %s%n",
          batch,
          rounds,
          BLOCK,
          percentile(before, 50),
          percentile(before, 99),
          percentile(beforeStatements, 50),
          percentile(after, 50),
          percentile(after, 99),
          percentile(afterStatements, 50),
          Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
  }

  /** The transaction as it was before issue #3, statement for statement. */
  private static void former(Handle handle, List<StoredReceipt> receipts) {
    ReceiptDao dao = handle.attach(ReceiptDao.class);
    List<IssuanceEntry> entries = new ArrayList<>();
    for (StoredReceipt receipt : receipts) {
      if (dao.insertIfAbsent(receipt)) {
        entries.add(entry(receipt));
      }
    }
    var head =
        handle
            .createQuery("SELECT seq, hash FROM audit.issuance_head WHERE id = 1 FOR UPDATE")
            .map((rs, ctx) -> new Object[] {rs.getLong("seq"), rs.getBytes("hash")})
            .one();
    long seq = (Long) head[0];
    byte[] prev = (byte[]) head[1];
    for (IssuanceEntry entry : entries) {
      seq++;
      byte[] hash = IssuanceChain.hash(seq, entry, prev);
      handle
          .createUpdate(
              "INSERT INTO audit.issuance_log (seq, jti, purchase_id, document_type, kid, caller,"
                  + " claims_sha256, issued_at, prev_hash, hash) VALUES (:seq, :jti, :purchaseId,"
                  + " :documentType, :kid, :caller, :claimsSha256, :issuedAt, :prevHash, :hash)")
          .bind("seq", seq)
          .bind("jti", entry.jti())
          .bind("purchaseId", entry.purchaseId().orElse(null))
          .bind("documentType", entry.documentType().wireName())
          .bind("kid", entry.kid())
          .bind("caller", entry.caller())
          .bind("claimsSha256", entry.claimsSha256())
          .bind("issuedAt", Timestamp.from(entry.issuedAt()))
          .bind("prevHash", prev)
          .bind("hash", hash)
          .execute();
      prev = hash;
    }
    handle
        .createUpdate("UPDATE audit.issuance_head SET seq = :seq, hash = :hash WHERE id = 1")
        .bind("seq", seq)
        .bind("hash", prev)
        .execute();
  }

  /** What {@code IssuanceWriter} does now. */
  private static void current(
      Handle handle, IssuanceAppender appender, List<StoredReceipt> receipts) {
    int[] inserted = handle.attach(ReceiptDao.class).insertAllIfAbsent(receipts);
    List<IssuanceEntry> entries = new ArrayList<>();
    for (int i = 0; i < receipts.size(); i++) {
      if (inserted[i] == 1) {
        entries.add(entry(receipts.get(i)));
      }
    }
    appender.append(handle, entries);
  }

  /** The cluster's primary with the signer's schema, as a plain (unpooled) data source. */
  static PGSimpleDataSource migrated(PostgresCluster cluster) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(cluster.primaryJdbcUrl());
    dataSource.setUser(cluster.user());
    dataSource.setPassword(cluster.password());
    SignerMigrations.migrate(dataSource);
    return dataSource;
  }

  /** The plugins the signer's Jdbi has. */
  static Jdbi withPlugins(Jdbi jdbi) {
    return jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
  }

  /** Receipts shaped like real ones (sizes, claims), each for a new purchase. */
  static List<StoredReceipt> receipts(int count) {
    List<StoredReceipt> receipts = new ArrayList<>(count);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    for (int i = 0; i < count; i++) {
      String jti = UUID.randomUUID().toString();
      receipts.add(
          new StoredReceipt(
              UUID.randomUUID().toString(),
              jti,
              new byte[32],
              "store-caller",
              "https://store.example",
              "purchase-receipt",
              "bench-receipt",
              "0.99",
              "USD",
              now.minusSeconds(60),
              now,
              now.plus(Duration.ofDays(180)),
              // About the size of a real RS256 receipt token.
              "x".repeat(1100) + jti));
    }
    return receipts;
  }

  private static IssuanceEntry entry(StoredReceipt receipt) {
    return new IssuanceEntry(
        receipt.jti(),
        Optional.of(receipt.purchaseId()),
        DocumentType.RECEIPT,
        receipt.kid(),
        receipt.caller(),
        IssuanceChain.claimsSha256(receipt.token()),
        receipt.issuedAt());
  }

  private static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
  }
}
