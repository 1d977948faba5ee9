package net.appstore.catalog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import net.appstore.catalog.core.CatalogDataGenerator;
import net.appstore.catalog.db.CatalogMigrations;
import net.appstore.catalog.db.SeedWriter;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.catalog.testing.TestTls;
import net.appstore.testkit.bench.Rate;
import net.appstore.testkit.pg.PostgresCluster;
import net.appstore.testkit.tls.TestPki;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Cached answers per second over HTTPS with keep-alive at 1..N clients, next to nginx serving a
 * static file of the same bytes in the same run (the practical limit on this machine): the app page
 * ({@code GET /api/v1/apps/{slug}}) and the update check ({@code GET /api/v1/update?...}). The
 * catalog runs in this JVM from the production configuration ({@code config/catalog.yml}) against
 * its own PostgreSQL primary + streaming replica seeded with the default data set; nginx runs as a
 * separate process with the same certificate. Every answer is checked (status 200, body shape).
 * Load generator and servers share the cores. For each client count the three rows run back to
 * back, so they see the same machine.
 *
 * <p>Run with {@code catalog-lite/bench/run.sh}; it writes {@code
 * catalog-lite/target/benchmark.md}.
 */
public final class CatalogBenchmark {

  private final Duration warmup;
  private final Duration run;
  private final int[] clients;
  private final List<String> report = new ArrayList<>();

  private CatalogBenchmark(Duration warmup, Duration run, int[] clients) {
    this.warmup = warmup;
    this.run = run;
    this.clients = clients;
  }

  public static void main(String[] args) throws Exception {
    Duration warmup = Duration.ofSeconds(5);
    Duration run = Duration.ofSeconds(10);
    int[] clients = {1, 2, 4, 8};
    int apps = 10_000;
    int reviews = 100_000;
    Path out = Path.of("target", "benchmark.md");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--warmup" -> warmup = Duration.ofSeconds(Integer.parseInt(args[i + 1]));
        case "--seconds" -> run = Duration.ofSeconds(Integer.parseInt(args[i + 1]));
        case "--clients" ->
            clients = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--apps" -> apps = Integer.parseInt(args[i + 1]);
        case "--reviews" -> reviews = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    CatalogBenchmark benchmark = new CatalogBenchmark(warmup, run, clients);
    benchmark.runAll(apps, reviews);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, benchmark.report, StandardCharsets.UTF_8);
    log("written to " + out.toAbsolutePath());
    System.exit(0); // Dropwizard's threads must not keep the JVM
  }

  private void runAll(int apps, int reviews) throws Exception {
    Path pgDir = Files.createTempDirectory("catalog-bench-pg-");
    try (PostgresCluster cluster = PostgresCluster.builder(pgDir).start()) {
      seed(cluster, apps, reviews);
      RunningCatalog catalog =
          RunningCatalog.start(
              new RunningCatalog.Databases(
                  cluster.primaryJdbcUrl(),
                  cluster.replicaJdbcUrl(),
                  cluster.replicaJdbcUrl(),
                  cluster.user(),
                  cluster.password()),
              null,
              Files.createTempDirectory("catalog-bench-blocklist-"));
      try {
        measure(catalog);
      } finally {
        catalog.close();
      }
    }
  }

  private static void seed(PostgresCluster cluster, int apps, int reviews) throws Exception {
    log("seeding " + apps + " apps, " + reviews + " reviews");
    PGSimpleDataSource primary = new PGSimpleDataSource();
    primary.setUrl(cluster.primaryJdbcUrl());
    primary.setUser(cluster.user());
    primary.setPassword(cluster.password());
    CatalogMigrations.migrate(primary);
    new SeedWriter(
            Jdbi.create(primary)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()))
        .write(new CatalogDataGenerator(1, apps, reviews).generate(), false);
    cluster.awaitReplicaCaughtUp(Duration.ofSeconds(60));
  }

  private void measure(RunningCatalog catalog) throws Exception {
    HttpsClient setup = catalog.client();
    String slug = setup.get("api/v1/home").json().get("popular").get(0).get("slug").asText();
    String pagePath = "/api/v1/apps/" + slug;
    String page = require200(setup.get(pagePath.substring(1)));
    String updatePath = "/api/v1/update?id=" + slug + "&version=0.0.1&appVersion=999.0";
    String update = require200(setup.get(updatePath.substring(1)));
    JsonNode updates = catalog.client().get(updatePath.substring(1)).json();
    if (updates.path("addons").path(slug).path("updates").size() != 1) {
      throw new IllegalStateException("expected one update for " + slug + ": " + update);
    }
    Predicate<String> isPage =
        body ->
            body.startsWith("{")
                && body.contains("\"slug\":\"" + slug + "\"")
                && body.contains("\"current_version\":{")
                && body.endsWith("}");
    String updatePrefix = "{\"addons\":{\"" + slug + "\":{\"updates\":[{";
    Predicate<String> isUpdate =
        body -> body.startsWith(updatePrefix) && body.contains("\"update_hash\":\"sha256:");
    if (!isPage.test(page) || !isUpdate.test(update)) {
      throw new IllegalStateException("unexpected shapes:\n" + page + "\n" + update);
    }

    SSLContext tls = TestTls.client();
    byte[] staticFile = page.getBytes(StandardCharsets.UTF_8);
    try (NginxServer nginx =
        NginxServer.serving(
            TestTls.pki().serverKeyStore(),
            TestPki.PASSWORD.toCharArray(),
            "app.json",
            staticFile,
            tls)) {
      URI base = catalog.baseUri();
      Target nginxFile =
          new Target(
              "nginx " + nginx.version() + ": static file, " + staticFile.length + " bytes",
              nginx.fileUri(),
              nginx.fileUri().getPath(),
              page::equals);
      Target appPage =
          new Target(
              "catalog: app page (cached), " + staticFile.length + " bytes",
              base,
              pagePath,
              isPage);
      Target updateCheck =
          new Target(
              "catalog: update check (" + update.length() + " bytes)", base, updatePath, isUpdate);
      header(slug);
      int most = Arrays.stream(clients).max().orElse(1);
      // The service was just started: let the JIT compile the request paths at full load first.
      for (Target target : List.of(nginxFile, appPage, updateCheck)) {
        load(target, most, warmup.multipliedBy(2), Duration.ofSeconds(1), tls);
      }
      for (int count : clients) {
        Rate.Result limit = load(nginxFile, count, warmup, run, tls);
        row(nginxFile, limit, limit);
        row(appPage, load(appPage, count, warmup, run, tls), limit);
        row(updateCheck, load(updateCheck, count, warmup, run, tls), limit);
      }
    }
  }

  /** One thing to request: where, and what a right answer looks like. */
  private record Target(String what, URI server, String pathAndQuery, Predicate<String> right) {}

  private static Rate.Result load(
      Target target, int clients, Duration warmup, Duration run, SSLContext tls) throws Exception {
    List<KeepAliveClient> open = new ArrayList<>();
    try {
      return Rate.measure(
          clients,
          warmup,
          run,
          i -> {
            KeepAliveClient client = new KeepAliveClient(tls, target.server());
            synchronized (open) {
              open.add(client);
            }
            byte[] request = client.get(target.pathAndQuery());
            return () -> target.right().test(client.send(request));
          });
    } finally {
      for (KeepAliveClient client : open) {
        client.close();
      }
    }
  }

  private void header(String slug) {
    line(
        String.format(
            Locale.ROOT,
            "Run %s on %d cores, %s %s; warm-up %d s, measured %d s per row; app `%s`.",
            Instant.now().toString().substring(0, 16),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.version"),
            warmup.toSeconds(),
            run.toSeconds(),
            slug));
    line("");
    line("| what | clients | per second | p50 µs | p99 µs | errors | load | % of nginx |");
    line("|---|---|---|---|---|---|---|---|");
  }

  private void row(Target target, Rate.Result result, Rate.Result nginx) {
    line(
        String.format(
            Locale.ROOT,
            "| %s | %d | %,.0f | %,.0f | %,.0f | %d | %s | %.0f %% |",
            target.what(),
            result.threads(),
            result.perSecond(),
            result.p50Micros(),
            result.p99Micros(),
            result.errors(),
            result.loadAverage(),
            100 * result.perSecond() / nginx.perSecond()));
  }

  private static String require200(HttpsClient.Reply reply) {
    if (reply.status() != 200) {
      throw new IllegalStateException("setup request failed: " + reply);
    }
    return reply.body();
  }

  private void line(String text) {
    report.add(text);
    log(text);
  }

  private static void log(String text) {
    System.err.println(text);
    System.err.flush();
  }
}
