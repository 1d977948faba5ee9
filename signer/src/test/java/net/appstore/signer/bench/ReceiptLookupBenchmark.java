package net.appstore.signer.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import net.appstore.signer.db.ParsedOnceTemplateEngine;
import net.appstore.signer.db.ReceiptDao;
import net.appstore.signer.db.ReceiptLookupDao;
import net.appstore.signer.db.StoredReceipt;
import net.appstore.testkit.pg.PostgresCluster;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The request path's idempotency lookup, {@code jdbi.withExtension(..., findByPurchaseId)}, through
 * the five-method SQL object it used before (every method prepared on each attach) and through
 * {@link ReceiptLookupDao}, interleaved in blocks on one cluster; CPU time of the calling thread
 * and wall time per lookup, medians.
 *
 * <pre>
 *   java ... net.appstore.signer.bench.ReceiptLookupBenchmark [--rounds 20000]
 * </pre>
 */
public final class ReceiptLookupBenchmark {

  private static final PrintStream OUT = System.err;
  private static final int BLOCK = 500;
  private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

  /** {@code ReceiptDao}'s reads and writes as one SQL object, as before the split. */
  @RegisterRowMapper(ReceiptDao.StoredReceiptMapper.class)
  public interface FormerReceiptDao extends ReceiptDao {
    @SqlQuery(
        "SELECT " + ReceiptDao.COLUMNS + " FROM signer.receipt WHERE purchase_id = :purchaseId")
    Optional<StoredReceipt> findByPurchaseId(@Bind("purchaseId") String purchaseId);

    @SqlQuery("SELECT " + ReceiptDao.COLUMNS + " FROM signer.receipt WHERE jti = :jti")
    Optional<StoredReceipt> findByJti(@Bind("jti") String jti);

    @SqlQuery("SELECT count(*) FROM signer.receipt")
    long count();
  }

  public static void main(String[] args) throws Exception {
    int rounds = 20_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].equals("--rounds")) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      rounds = Integer.parseInt(args[i + 1]);
    }
    Path work = Files.createDirectories(Path.of("target", "bench"));
    try (PostgresCluster cluster =
        PostgresCluster.builder(Files.createTempDirectory(work.toAbsolutePath(), "pg-lookup-"))
            .start()) {
      IssuanceTransactionBenchmark.migrated(cluster);
      // A pool, as in the signer (Dropwizard's data source): each withExtension borrows from it.
      DataSource pool = new DataSource();
      pool.setUrl(cluster.primaryJdbcUrl());
      pool.setUsername(cluster.user());
      pool.setPassword(cluster.password());
      pool.setDriverClassName("org.postgresql.Driver");
      pool.setMaxActive(4);
      Jdbi jdbi = IssuanceTransactionBenchmark.withPlugins(Jdbi.create(pool));
      jdbi.setTemplateEngine(new ParsedOnceTemplateEngine(new DefinedAttributeTemplateEngine()));
      List<StoredReceipt> stored = IssuanceTransactionBenchmark.receipts(1000);
      jdbi.useExtension(ReceiptDao.class, dao -> dao.insertAllIfAbsent(stored));
      List<String> ids = stored.stream().map(StoredReceipt::purchaseId).toList();

      Function<String, Optional<StoredReceipt>> former =
          id -> jdbi.withExtension(FormerReceiptDao.class, dao -> dao.findByPurchaseId(id));
      Function<String, Optional<StoredReceipt>> current =
          id -> jdbi.withExtension(ReceiptLookupDao.class, dao -> dao.findByPurchaseId(id));
      Samples before = new Samples(rounds);
      Samples after = new Samples(rounds);
      for (int warm = 0; warm < 10; warm++) {
        block(former, ids, new Samples(BLOCK));
        block(current, ids, new Samples(BLOCK));
      }
      while (before.count < rounds) {
        block(former, ids, before);
        block(current, ids, after);
      }
      OUT.printf(
          Locale.ROOT,
          "receipt lookup, %d each in blocks of %d: five-method SQL object CPU p50 %.1f µs, wall"
              + " p50 %.1f µs; ReceiptLookupDao CPU p50 %.1f µs, wall p50 %.1f µs%n",
          rounds,
          BLOCK,
          before.cpuMedianMicros(),
          before.wallMedianMicros(),
          after.cpuMedianMicros(),
          after.wallMedianMicros());
      pool.close();
    }
  }

  private static void block(
      Function<String, Optional<StoredReceipt>> lookup, List<String> ids, Samples samples) {
    for (int i = 0; i < BLOCK && samples.count < samples.cpu.length; i++) {
      String id = ids.get((samples.count * 7919) % ids.size());
      long cpu = THREAD.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      if (lookup.apply(id).isEmpty()) {
        throw new IllegalStateException("receipt not found: " + id);
      }
      samples.add(THREAD.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall);
    }
  }

  /** Per-lookup CPU and wall nanoseconds. */
  private static final class Samples {
    final long[] cpu;
    final long[] wall;
    int count;

    Samples(int capacity) {
      cpu = new long[capacity];
      wall = new long[capacity];
    }

    void add(long cpuNanos, long wallNanos) {
      cpu[count] = cpuNanos;
      wall[count++] = wallNanos;
    }

    double cpuMedianMicros() {
      return median(cpu);
    }

    double wallMedianMicros() {
      return median(wall);
    }

    private double median(long[] values) {
      long[] sorted = Arrays.copyOf(values, count);
      Arrays.sort(sorted);
      return sorted[count / 2] / 1000.0;
    }
  }
}
