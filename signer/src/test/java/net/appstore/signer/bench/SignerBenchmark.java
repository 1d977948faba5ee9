package net.appstore.signer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.receipt.ReceiptClaims;
import net.appstore.receipt.testing.ReceiptFixture;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerKeys;
import net.appstore.signer.testing.TestRootCa;
import net.appstore.testkit.pg.PostgresCluster;
import net.appstore.testkit.tls.TestPki;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Signed receipts per second over HTTPS (mutual TLS, keep-alive) against the raw SunPKCS11 RS256
 * signing rate of the same token, in one run: raw signing at 1 and 2 threads, then the real signer
 * (its own JVM, as in the stack) at each client count, then raw signing again to show the machine
 * did not drift. Each request is a new purchase, so every one is signed, verified, stored and
 * appended to the issuance log (PostgreSQL with fsync on).
 *
 * <p>Run by {@code signer/bench/run.sh}, which creates the token; results go to stderr and {@code
 * signer/target/benchmark.md}.
 */
public final class SignerBenchmark {

  private static final PrintStream OUT = System.err;

  /**
   * @param loadAverage the machine's 1-minute load average when the row finished: the benchmark
   *     shares the cores with everything else running
   * @param cpuMillisPerOp CPU time (user + system) the signer process used per request in the
   *     measured window, or NaN for rows without the service. Unlike latency, it hardly moves with
   *     the machine's load, so it compares runs made under different loads.
   */
  private record Result(
      String what,
      int threads,
      long count,
      double seconds,
      long[] latenciesNanos,
      String loadAverage,
      double cpuMillisPerOp) {
    double rate() {
      return count / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
      return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Duration seconds = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
    Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5")));
    Duration serviceWarmup =
        Duration.ofSeconds(Long.parseLong(options.getOrDefault("service-warmup", "90")));
    int[] clients =
        Arrays.stream(options.getOrDefault("clients", "1,2").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    String label = System.getenv("HSM_TOKEN_LABEL");
    char[] pin = System.getenv("HSM_PIN").toCharArray();
    Path library =
        Path.of(
            System.getenv()
                .getOrDefault("PKCS11_LIBRARY", HsmSettings.SOFTHSM2_LIBRARY.toString()));
    Path work = Files.createDirectories(Path.of("target", "bench"));

    try (PostgresCluster cluster =
        PostgresCluster.builder(Files.createTempDirectory(work.toAbsolutePath(), "pg-")).start()) {
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl(cluster.primaryJdbcUrl());
      dataSource.setUser(cluster.user());
      dataSource.setPassword(cluster.password());
      net.appstore.signer.db.SignerMigrations.migrate(dataSource);
      Jdbi jdbi =
          Jdbi.create(dataSource)
              .installPlugin(new SqlObjectPlugin())
              .installPlugin(new PostgresPlugin());
      HsmToken token = HsmToken.open(new HsmSettings(library, label), pin.clone());
      SignerKeys keys = SignerKeys.open(token, jdbi, TestRootCa.create());
      keys.create(KeyPurpose.RECEIPT, "bench-receipt", KeyState.ACTIVE);
      keys.create(KeyPurpose.BLOCKLIST, "bench-blocklist", KeyState.ACTIVE);
      HsmKey key = token.key("bench-receipt");
      byte[] input =
          ReceiptClaims.toClaimsSet(ReceiptFixture.at(Instant.now()).build())
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      double commitMillis = commitLatencyMillis(cluster);

      List<Result> results = new ArrayList<>();
      List<String> stages = new ArrayList<>();
      results.add(rawSigning(token, key, input, 1, warmup, seconds));
      results.add(rawSigning(token, key, input, 2, warmup, seconds));

      TestPki pki = TestPki.create(work.resolve("pki-" + UUID.randomUUID()));
      int port = freePort();
      int adminPort = freePort();
      Process signer = startSigner(cluster, pki, library, label, pin, port, adminPort, work);
      try {
        URI base = URI.create("https://localhost:" + port + "/");
        awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/__heartbeat__"));
        SSLContext tls = tls(pki);
        URI metrics = URI.create("http://127.0.0.1:" + adminPort + "/metrics");
        ProcessCpu cpu = new ProcessCpu(signer.pid());
        if (!serviceWarmup.isZero()) {
          warmService(base, tls, serviceWarmup, cpu);
        }
        // After the warm-up: measured on a cold JVM, the transport's row counted the JIT's work.
        results.add(httpsRoundTrip(base, tls, warmup, seconds, cpu));
        for (int n : clients) {
          results.add(service(base, tls, n, warmup, seconds, cpu));
          stages.add(n + " client(s): " + stages(metrics));
        }
      } finally {
        signer.destroy();
        signer.waitFor(20, TimeUnit.SECONDS);
      }
      results.add(rawSigning(token, key, input, 1, Duration.ofSeconds(2), seconds));
      results.add(rawSigning(token, key, input, 2, Duration.ofSeconds(2), seconds));
      report(results, stages, commitMillis, seconds, warmup, serviceWarmup);
    }
  }

  private static Result rawSigning(
      HsmToken token, HsmKey key, byte[] input, int threads, Duration warmup, Duration measure)
      throws Exception {
    Callable<Void> op =
        () -> {
          Signature signature = Signature.getInstance("SHA256withRSA", token.provider());
          signature.initSign(key.privateKey());
          signature.update(input);
          signature.sign();
          return null;
        };
    return run("raw SunPKCS11 RS256 sign", threads, warmup, measure, null, i -> op);
  }

  /**
   * Brings the service to the state of one that has been running: a few seconds of receipts at 4
   * clients, so that the JIT has compiled the request path before the 1-client row is measured
   * (otherwise the first rows measure the interpreter). Reported, not counted in the table.
   */
  private static void warmService(URI base, SSLContext tls, Duration duration, ProcessCpu cpu)
      throws Exception {
    OUT.println("service warm-up (not in the table):");
    service(base, tls, 4, Duration.ZERO, duration, cpu);
  }

  private static Result service(
      URI base, SSLContext tls, int clients, Duration warmup, Duration measure, ProcessCpu cpu)
      throws Exception {
    List<HttpClient> connections = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connections.add(
          HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build());
    }
    URI receipts = base.resolve("v1/receipts");
    return run(
        "signer over HTTPS (POST /v1/receipts)",
        clients,
        warmup,
        measure,
        cpu,
        i ->
            () -> {
              HttpResponse<String> reply =
                  connections
                      .get(i)
                      .send(
                          HttpRequest.newBuilder(receipts)
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(order()))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
              if (reply.statusCode() != 201) {
                throw new IllegalStateException(
                    "signer answered " + reply.statusCode() + " " + reply.body());
              }
              return null;
            });
  }

  /**
   * The cost of the transport alone, one client: a keep-alive HTTPS request (mutual TLS) for the
   * JWKS, which the signer answers from memory. Part of the floor of every receipt request.
   */
  private static Result httpsRoundTrip(
      URI base, SSLContext tls, Duration warmup, Duration measure, ProcessCpu cpu)
      throws Exception {
    HttpClient connection =
        HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest jwks = HttpRequest.newBuilder(base.resolve(".well-known/jwks.json")).build();
    return run(
        "HTTPS round trip (GET /.well-known/jwks.json)",
        1,
        warmup,
        measure,
        cpu,
        i ->
            () -> {
              HttpResponse<String> reply =
                  connection.send(jwks, HttpResponse.BodyHandlers.ofString());
              if (reply.statusCode() != 200) {
                throw new IllegalStateException("signer answered " + reply.statusCode());
              }
              return null;
            });
  }

  private static String order() {
    return "{\"purchase_id\":\""
        + UUID.randomUUID()
        + "\",\"typ\":\"purchase-receipt\",\"product\":{\"url\":\"https://chess.example\","
        + "\"storedata\":\"id=1042\"},\"user\":{\"type\":\"directed-identifier\",\"value\":"
        + "\"a3f9c0d2e1b4\"},\"nbf\":"
        + (Instant.now().getEpochSecond() - 60)
        + ",\"price\":{\"amount\":\"0.99\",\"currency\":\"USD\"}}";
  }

  /** Runs {@code threads} loops of an operation: warm-up, then a timed window with latencies. */
  private static Result run(
      String what,
      int threads,
      Duration warmup,
      Duration measure,
      ProcessCpu cpu,
      java.util.function.IntFunction<Callable<Void>> operation)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    // Start times let a profile of the service (BENCH_SIGNER_JAVA_OPTS) be cut into rows.
    OUT.printf(Locale.ROOT, "%s %s, %d thread(s): starts%n", Instant.now(), what, threads);
    try {
      long warmupEnd = System.nanoTime() + warmup.toNanos();
      long end = warmupEnd + measure.toNanos();
      List<Future<long[]>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Void> op = operation.apply(t);
        loops.add(
            pool.submit(
                () -> {
                  long[] latencies = new long[1 << 16];
                  int n = 0;
                  while (true) {
                    long start = System.nanoTime();
                    if (start >= end) {
                      return Arrays.copyOf(latencies, n);
                    }
                    op.call();
                    long done = System.nanoTime();
                    if (start >= warmupEnd && done <= end) {
                      if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                      }
                      latencies[n++] = done - start;
                    }
                  }
                }));
      }
      double cpuMillisPerOp = Double.NaN;
      if (cpu != null) {
        sleepUntil(warmupEnd);
        long cpuAtStart = cpu.nanos();
        sleepUntil(end);
        cpuMillisPerOp = cpu.nanos() - cpuAtStart;
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> loop : loops) {
        all.add(loop.get());
      }
      long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      // The CPU window and the latency window are the same; requests straddling its ends are few.
      cpuMillisPerOp = cpuMillisPerOp / 1e6 / Math.max(1, merged.length);
      Result result =
          new Result(
              what, threads, merged.length, measure.toNanos() / 1e9, merged, load, cpuMillisPerOp);
      OUT.printf(
          Locale.ROOT,
          "%-40s %d thread(s): %8.0f /s  p50 %.2f ms  p99 %.2f ms  signer CPU %.2f ms/op  load %s%n",
          what,
          threads,
          result.rate(),
          result.percentileMillis(50),
          result.percentileMillis(99),
          result.cpuMillisPerOp(),
          load);
      return result;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** The CPU time (user + system, all threads) a process has used, from /proc (Linux). */
  private record ProcessCpu(long pid) {
    long nanos() throws IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may hold spaces): utime is the 14th field, stime the
      // 15th, both in clock ticks (USER_HZ, 100 on Linux).
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
  }

  private static Process startSigner(
      PostgresCluster cluster,
      TestPki pki,
      Path library,
      String label,
      char[] pin,
      int port,
      int adminPort,
      Path work)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--add-exports",
            "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
            "-Xms512m",
            "-Xmx512m"));
    // For profiling the service alone, e.g. -XX:StartFlightRecording=filename=signer.jfr
    String extra = System.getenv().getOrDefault("BENCH_SIGNER_JAVA_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "net.appstore.signer.SignerApplication",
            "server",
            Path.of("config", "signer.yml").toAbsolutePath().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("signer.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("PRIMARY_JDBC_URL", cluster.primaryJdbcUrl());
    env.put("PGUSER", cluster.user());
    env.put("PGPASSWORD", cluster.password());
    env.put("TLS_KEYSTORE", pki.serverKeyStore().toString());
    env.put("TLS_KEYSTORE_PASSWORD", TestPki.PASSWORD);
    env.put("TRUSTSTORE", pki.trustStore().toString());
    env.put("TRUSTSTORE_PASSWORD", TestPki.PASSWORD);
    env.put("PKCS11_LIBRARY", library.toString());
    env.put("HSM_TOKEN_LABEL", label);
    env.put("HSM_PIN", new String(pin));
    env.put("SIGNER_PORT", Integer.toString(port));
    env.put("SIGNER_ADMIN_PORT", Integer.toString(adminPort));
    env.put("STORE_ISSUER", RunningSigner.ISSUER);
    env.put("STORE_CALLER", RunningSigner.STORE_CALLER);
    pki.issueClient(RunningSigner.STORE_CALLER);
    return builder.start();
  }

  private static SSLContext tls(TestPki pki) throws Exception {
    java.lang.reflect.Method tls =
        net.appstore.signer.testing.SignerClient.class.getDeclaredMethod(
            "tls", Path.class, Path.class);
    tls.setAccessible(true);
    return (SSLContext)
        tls.invoke(null, pki.trustStore(), pki.issueClient(RunningSigner.STORE_CALLER));
  }

  private static void awaitReady(URI heartbeat) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(heartbeat).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the signer did not become ready; see target/bench/signer.log");
  }

  /** Median latency of a small committed transaction: the floor of a receipt's database work. */
  private static double commitLatencyMillis(PostgresCluster cluster) throws Exception {
    try (Connection c = cluster.openPrimary();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, v text)");
      c.setAutoCommit(false);
      long[] took = new long[500];
      for (int i = 0; i < took.length; i++) {
        long start = System.nanoTime();
        s.execute("INSERT INTO bench_commit (v) VALUES ('x')");
        c.commit();
        took[i] = System.nanoTime() - start;
      }
      Arrays.sort(took);
      return took[took.length / 2] / 1e6;
    }
  }

  /**
   * Where a request's time goes inside the signer, from its own timers (p50 in ms; the reservoirs
   * decay over minutes, so later rows include some of the earlier load).
   */
  private static String stages(URI metrics) throws Exception {
    String json =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    JsonNode tree = new ObjectMapper().readTree(json);
    StringBuilder text = new StringBuilder();
    List<String> timers = new ArrayList<>();
    // Jetty's timer of the whole request inside the server, from the first byte read to the last
    // written: the client's latency minus this is TLS, HTTP and the load generator.
    tree.path("timers")
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (name.endsWith(".post-requests") && !name.contains("admin")) {
                timers.add(name);
              }
            });
    timers.addAll(
        List.of(
            "net.appstore.signer.db.ReceiptLookupDao.findByPurchaseId",
            "signer.hsm.sign",
            "signer.verify_after_sign",
            "signer.issuance.wait",
            "signer.issuance.commit"));
    for (String timer : timers) {
      JsonNode t = tree.path("timers").path(timer);
      text.append(
          String.format(
              Locale.ROOT,
              "%s p50 %.2f ms, p99 %.2f ms; ",
              timer.substring(timer.lastIndexOf('.') + 1),
              t.path("p50").asDouble() * 1000,
              t.path("p99").asDouble() * 1000));
    }
    JsonNode batches = tree.path("histograms").path("signer.issuance.batch_size");
    text.append(
        String.format(
            Locale.ROOT,
            "issuance batch size p50 %.0f, mean %.1f, max %d",
            batches.path("p50").asDouble(),
            batches.path("mean").asDouble(),
            batches.path("max").asLong()));
    OUT.println("    signer stages: " + text);
    return text.toString();
  }

  private static void report(
      List<Result> results,
      List<String> stages,
      double commitMillis,
      Duration seconds,
      Duration warmup,
      Duration serviceWarmup)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Run %s, %d cores, %s s measured after %s s warm-up per row (service warmed %s s at 4 clients first); PostgreSQL commit (fsync on) median %.2f ms.%n%n",
            Instant.now().toString().substring(0, 16),
            Runtime.getRuntime().availableProcessors(),
            seconds.toSeconds(),
            warmup.toSeconds(),
            serviceWarmup.toSeconds(),
            commitMillis));
    md.append(
        "| what | threads / clients | rate (/s) | p50 (ms) | p99 (ms) | vs raw, same threads | signer CPU per request (ms) | load (1 min) |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    double raw1 = results.get(0).rate();
    double raw2 = results.get(1).rate();
    for (Result r : results) {
      String ratio = "";
      if (r.what().startsWith("signer")) {
        double raw = r.threads() == 1 ? raw1 : raw2;
        ratio =
            String.format(
                Locale.ROOT,
                "%.0f %% (of %d-thread raw)",
                100 * r.rate() / raw,
                Math.min(r.threads(), 2));
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f | %.2f | %.2f | %s | %s | %s |%n",
              r.what(),
              r.threads(),
              r.rate(),
              r.percentileMillis(50),
              r.percentileMillis(99),
              ratio,
              Double.isNaN(r.cpuMillisPerOp())
                  ? ""
                  : String.format(Locale.ROOT, "%.2f", r.cpuMillisPerOp()),
              r.loadAverage()));
    }
    md.append(String.format(Locale.ROOT, "%nInside the signer (its own timers):%n%n"));
    for (String stage : stages) {
      md.append("- ").append(stage).append('\n');
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nLoad average during the run: %s%n",
            Files.readString(Path.of("/proc/loadavg")).strip()));
    Path out = Path.of("target", "benchmark.md");
    Files.writeString(out, md.toString());
    OUT.println();
    OUT.print(md);
    OUT.println("written to " + out.toAbsolutePath());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }
}
