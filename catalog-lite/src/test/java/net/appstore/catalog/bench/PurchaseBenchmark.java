package net.appstore.catalog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;

/**
 * Completed paid purchases per second over HTTPS against the local stack (real signer with
 * SoftHSM2, simulated gateway, PostgreSQL primary + replica), next to the two floors measured in
 * the same run: raw SunPKCS11 RS256 signs per second on the stack's own token and key, and
 * single-row INSERT + COMMIT per second on the stack's primary. Each purchase is a new
 * Idempotency-Key and must answer 201 COMPLETED (anything else fails the run).
 *
 * <p>Run by {@code catalog-lite/bench/purchase-run.sh}, which brings the stack up and passes its
 * environment ({@code .stack/env}), the receipt key's label and one buyer token per client. Results
 * go to stderr and {@code catalog-lite/target/purchase-benchmark.md}.
 */
public final class PurchaseBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One measured row: how many operations finished in the window, and their latencies. */
  private record Row(String what, int threads, long count, double seconds, long[] sortedNanos) {
    double rate() {
      return count / seconds;
    }

    double millis(double percentile) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(percentile / 100 * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, index)] / 1e6;
    }
  }

  /** One operation of one worker thread. */
  @FunctionalInterface
  private interface Operation {
    void run() throws Exception;
  }

  /** Gives each worker thread its own operation (its connection, its buyer). */
  @FunctionalInterface
  private interface Worker {
    Operation forThread(int thread) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Duration measure = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_SECONDS", "10")));
    Duration warmup = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_WARMUP", "3")));
    // The stack's JVMs may have just started: without this the first purchase rows measure the JIT
    // compiling the request paths (docs/BENCHMARKS.md, "Purchase flow").
    Duration serviceWarmup =
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_SERVICE_WARMUP", "60")));
    int[] buyers =
        Arrays.stream(env.getOrDefault("BENCH_BUYERS", "1,2,4,8").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    String[] tokens = env.get("BENCH_TOKENS").split(",");

    List<Row> rows = new ArrayList<>();
    List<String> stages = new ArrayList<>();
    HsmToken token =
        HsmToken.open(
            new HsmSettings(Path.of(env.get("PKCS11_LIBRARY")), env.get("HSM_TOKEN_LABEL")),
            env.get("HSM_PIN").toCharArray());
    HsmKey key = token.key(env.get("BENCH_RECEIPT_KEY_LABEL"));
    for (int threads : new int[] {1, 2}) {
      rows.add(measure("raw SunPKCS11 RS256 sign", threads, warmup, measure, rawSign(token, key)));
    }
    for (int threads : buyers) {
      rows.add(measure("PostgreSQL INSERT + COMMIT", threads, warmup, measure, commit(env)));
    }
    URI catalog = URI.create(env.get("CATALOG_URL") + "/");
    HttpClient client = client(env);
    String slug = paidApp(env);
    URI admin = URI.create(env.get("CATALOG_ADMIN_URL") + "/metrics");
    if (!serviceWarmup.isZero()) {
      AtomicLong failures = new AtomicLong();
      int most = Arrays.stream(buyers).max().orElse(1);
      measure(
          "service warm-up (not reported)",
          most,
          Duration.ZERO,
          serviceWarmup,
          t -> purchase(client, catalog, slug, tokens[t], failures));
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " warm-up purchase(s) did not answer 201");
      }
    }
    for (int threads : buyers) {
      AtomicLong failures = new AtomicLong();
      rows.add(
          measure(
              "purchase (201 COMPLETED, HTTPS)",
              threads,
              warmup,
              measure,
              t -> purchase(client, catalog, slug, tokens[t], failures)));
      stages.add(threads + " buyer(s): " + stages(client, admin));
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " purchase(s) did not answer 201");
      }
    }
    report(rows, stages, measure, warmup, serviceWarmup);
  }

  private static Worker rawSign(HsmToken token, HsmKey key) {
    byte[] input =
        ("{\"purchase_id\":\"" + UUID.randomUUID() + "\",\"bench\":true}")
            .getBytes(StandardCharsets.UTF_8);
    return thread ->
        () -> {
          Signature signature = Signature.getInstance("SHA256withRSA", token.provider());
          signature.initSign(key.privateKey());
          signature.update(input);
          signature.sign();
        };
  }

  /** One connection per thread, one row per transaction, committed (synchronous_commit on). */
  private static Worker commit(Map<String, String> env) throws Exception {
    try (Connection c = connect(env);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS public.bench_commit (id bigserial PRIMARY KEY, v text)");
    }
    return thread -> {
      Connection c = connect(env);
      c.setAutoCommit(false);
      Statement s = c.createStatement();
      return () -> {
        s.execute("INSERT INTO public.bench_commit (v) VALUES ('x')");
        c.commit();
      };
    };
  }

  private static Operation purchase(
      HttpClient client, URI catalog, String slug, String token, AtomicLong failures) {
    URI uri = catalog.resolve("api/v1/apps/" + slug + "/purchases");
    return () -> {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + token)
                  .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201
          || !"COMPLETED".equals(JSON.readTree(response.body()).path("status").asText())) {
        failures.incrementAndGet();
        System.err.println("purchase answered " + response.statusCode() + ": " + response.body());
      }
    };
  }

  /** {@code threads} loops: warm-up, then a measured window recording each latency. */
  private static Row measure(
      String what, int threads, Duration warmup, Duration measure, Worker worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long measureFrom = System.nanoTime() + warmup.toNanos();
      long end = measureFrom + measure.toNanos();
      List<Future<long[]>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Operation op = worker.forThread(t);
        loops.add(
            pool.submit(
                () -> {
                  long[] took = new long[1024];
                  int n = 0;
                  for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
                    op.run();
                    long done = System.nanoTime();
                    if (start >= measureFrom && done <= end) {
                      took = n == took.length ? Arrays.copyOf(took, n * 2) : took;
                      took[n++] = done - start;
                    }
                  }
                  return Arrays.copyOf(took, n);
                }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> loop : loops) {
        all.add(loop.get());
      }
      long[] sorted = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      Row row = new Row(what, threads, sorted.length, measure.toNanos() / 1e9, sorted);
      System.err.printf(
          Locale.ROOT,
          "%-34s %d thread(s): %8.1f /s  p50 %7.2f ms  p99 %7.2f ms%n",
          what,
          threads,
          row.rate(),
          row.millis(50),
          row.millis(99));
      return row;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Connection connect(Map<String, String> env) throws Exception {
    return DriverManager.getConnection(
        env.get("PRIMARY_JDBC_URL"), env.get("PGUSER"), env.get("PGPASSWORD"));
  }

  private static String paidApp(Map<String, String> env) throws Exception {
    try (Connection c = connect(env);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT slug FROM catalog.app WHERE status = 'public'"
                    + " AND price_amount IS NOT NULL ORDER BY id LIMIT 1")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static HttpClient client(Map<String, String> env) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(env.get("TRUSTSTORE")))) {
      trust.load(in, env.getOrDefault("TRUSTSTORE_PASSWORD", "changeit").toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Where a purchase's time goes, from the catalog's own timers (p50 ms): the whole request, the
   * signer call, the gateway charge; the rest is the store's database work (reserve, store receipt,
   * complete) and HTTP. The reservoirs decay over minutes, so later rows include earlier load.
   */
  private static String stages(HttpClient client, URI metrics) throws Exception {
    JsonNode timers =
        JSON.readTree(
                client
                    .send(
                        HttpRequest.newBuilder(metrics).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("timers");
    double request = timers.path("purchases.request").path("p50").asDouble() * 1000;
    double sign = timers.path("purchases.sign").path("p50").asDouble() * 1000;
    double charge = timers.path("purchases.charge").path("p50").asDouble() * 1000;
    return String.format(
        Locale.ROOT,
        "flow p50 %.1f ms = sign %.1f + charge %.1f + database and the rest %.1f",
        request,
        sign,
        charge,
        request - sign - charge);
  }

  private static void report(
      List<Row> rows,
      List<String> stages,
      Duration measure,
      Duration warmup,
      Duration serviceWarmup)
      throws Exception {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Run %s, %d cores, %d s measured after %d s warm-up per row, one run; the services"
                + " warmed by %d s of purchases at the most buyers first.%n%n",
            Instant.now().toString().substring(0, 16),
            Runtime.getRuntime().availableProcessors(),
            measure.toSeconds(),
            warmup.toSeconds(),
            serviceWarmup.toSeconds()));
    md.append("| what | threads / buyers | rate (/s) | p50 (ms) | p99 (ms) |\n");
    md.append("|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.2f | %.2f |%n",
              r.what(),
              r.threads(),
              r.rate(),
              r.millis(50),
              r.millis(99)));
    }
    md.append("\nWhere a purchase's time goes (catalog timers, p50):\n\n");
    stages.forEach(s -> md.append("- ").append(s).append('\n'));
    Path out = Path.of("target", "purchase-benchmark.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    System.err.println();
    System.err.print(md);
  }
}
