package net.appstore.verifier.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import net.appstore.receipt.Receipt;
import net.appstore.testkit.bench.Rate;
import net.appstore.testkit.pg.PostgresCluster;
import net.appstore.verifier.testing.JwksServer;
import net.appstore.verifier.testing.PurchaseRows;
import net.appstore.verifier.testing.RunningVerifier;
import net.appstore.verifier.testing.TestReceipts;
import net.appstore.verifier.testing.TestTls;

/**
 * Where the CPU of a cached-answer verification goes, by thread: N keep-alive clients post one
 * receipt to the real service (production configuration, answer cached by {@code jti}) in this JVM,
 * and {@link ThreadCosts} reports per request each thread group's CPU in user and kernel mode and
 * its context switches. The benchmark's columns say how much CPU a request costs; this says which
 * threads spend it and how often they block or are preempted, which execution profiles do not show
 * (docs/BENCHMARKS.md, "Verifier": it found the request log's writer woken by nearly every
 * request).
 *
 * <p>Run with {@code verifier/bench/thread-costs.sh [--clients 2] [--warmup 20] [--seconds 15]
 * [--set key=value ...]}, {@code --set} overriding the service's configuration.
 */
public final class ThreadCostProbe {

  public static void main(String[] args) throws Exception {
    int clients = 2;
    Duration warmup = Duration.ofSeconds(20);
    Duration run = Duration.ofSeconds(15);
    List<String[]> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Duration.ofSeconds(Integer.parseInt(args[i + 1]));
        case "--seconds" -> run = Duration.ofSeconds(Integer.parseInt(args[i + 1]));
        case "--set" -> overrides.add(args[i + 1].split("=", 2));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> report = measure(clients, warmup, run, overrides);
    report.forEach(System.err::println);
    Path out = Path.of("target", "thread-costs.md");
    Files.write(out, report, StandardCharsets.UTF_8);
    System.err.println("written to " + out.toAbsolutePath());
    System.exit(0); // the JWKS server's and Dropwizard's threads must not keep the JVM
  }

  private static List<String> measure(
      int clients, Duration warmup, Duration run, List<String[]> overrides) throws Exception {
    Receipt receipt = TestReceipts.fixture().build();
    String token = TestReceipts.signRs256(receipt);
    Path dir = Files.createTempDirectory("verifier-thread-costs-pg-");
    try (PostgresCluster cluster = PostgresCluster.builder(dir).start();
        JwksServer jwks = JwksServer.serving(TestReceipts.VECTORS.keySet())) {
      PurchaseRows.install(VerifierBenchmark.servers(cluster))
          .insertAllReplicated(List.of(receipt.jti()), "COMPLETED");
      RunningVerifier.Builder builder = VerifierBenchmark.verifierOn(cluster, jwks, "10s");
      for (String[] override : overrides) {
        builder.set(override[0], override[1]);
      }
      try (RunningVerifier verifier = builder.start()) {
        return load(verifier.verifyUri(), token, clients, warmup, run, overrides);
      }
    }
  }

  private static List<String> load(
      URI uri, String token, int clients, Duration warmup, Duration run, List<String[]> overrides)
      throws Exception {
    SSLContext tls = TestTls.trustingTestCa();
    AtomicLong answered = new AtomicLong();
    AtomicLong wrong = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      KeepAliveClient client = new KeepAliveClient(tls, uri);
      byte[] request = client.post(uri.getPath(), token);
      Thread thread =
          new Thread(
              () -> {
                try (client) {
                  while (!stop.get()) {
                    if (!client.answersWith(request, VerifierBenchmark.OK)) {
                      wrong.incrementAndGet();
                    }
                    answered.incrementAndGet();
                  }
                } catch (Exception e) {
                  wrong.incrementAndGet();
                  e.printStackTrace();
                }
              },
              "bench-" + c);
      threads.add(thread);
      thread.start();
    }
    Thread.sleep(warmup.toMillis()); // the JIT compiles the request path at full load first
    ThreadCosts before = ThreadCosts.now();
    long answeredBefore = answered.get();
    long startNanos = System.nanoTime();
    Thread.sleep(run.toMillis());
    ThreadCosts after = ThreadCosts.now();
    long requests = answered.get() - answeredBefore;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    List<String> report = new ArrayList<>();
    report.add(
        String.format(
            Locale.ROOT,
            "%d clients, %s; measured %.1f s after %d s of warm-up: %,d requests, %,.0f/s, %d"
                + " wrong answers or errors; load average %s.",
            clients,
            overrides.isEmpty()
                ? "production configuration"
                : "production configuration with "
                    + String.join(", ", overrides.stream().map(o -> String.join("=", o)).toList()),
            seconds,
            warmup.toSeconds(),
            requests,
            requests / seconds,
            wrong.get(),
            Rate.loadAverage()));
    report.add("");
    report.add(
        "| threads | user CPU µs/request | kernel CPU µs/request | blocked /request"
            + " | preempted /request |");
    report.add("|---|---|---|---|---|");
    report.addAll(after.perOperationSince(before, requests));
    return report;
  }
}
