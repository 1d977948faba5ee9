package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.RawHttpsConnection;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * F2 and F25 under real load: the database is made slow by a table lock taken on the primary and
 * replayed on the replica (hot standby applies ACCESS EXCLUSIVE locks from the WAL), so that
 * requests pile up while a load is in progress.
 */
@PostgresTest
class LoadSheddingTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static Jdbi primary;
  private static PostgresTestDatabase database;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    database = db;
    CatalogDatabases.migrateAndSeed(db);
    primary = CatalogDatabases.primary(db);
    catalog =
        RunningCatalog.start(
            db,
            null,
            Files.createTempDirectory("blocklist-"),
            // Loads wait on the lock for as long as the test holds it.
            ConfigOverride.config(
                "replicaDatabase.properties.options", "-c statement_timeout=120000"),
            ConfigOverride.config("replicaDatabase.properties.socketTimeout", "120"),
            // The first connections wait idle while the rest are handshaken (slow on a busy
            // 2-core machine); Jetty's default 30 s could close them before they are used.
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "5 minutes"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void F2_thousandConcurrentRequestsForColdAppPage_oneDatabaseLoadAllServed() throws Exception {
    String slug = coldSlug(0);
    // A thousand connections, handshaken first: the requests below are then all in flight at once
    // without a thousand client threads.
    List<RawHttpsConnection> connections = new ArrayList<>();
    ExecutorService handshakes = Executors.newFixedThreadPool(8);
    try {
      List<Future<RawHttpsConnection>> opening = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        opening.add(handshakes.submit(() -> RawHttpsConnection.open(http.base())));
      }
      for (Future<RawHttpsConnection> c : opening) {
        connections.add(c.get(120, TimeUnit.SECONDS));
      }
    } finally {
      handshakes.shutdown();
    }
    long loadsBefore = catalog.metrics().meter("cache.app_pages.loads").getCount();

    try (Connection lock = lockAppTable()) {
      for (RawHttpsConnection c : connections) {
        c.sendGet("/api/v1/apps/" + slug);
      }
      awaitActiveRequests(1000);
      lock.rollback();
    }

    Set<String> etags = new HashSet<>();
    for (RawHttpsConnection c : connections) {
      RawHttpsConnection.Answer answer = c.readAnswer();
      c.close();
      assertThat(answer.status()).isEqualTo(200);
      etags.add(answer.etag().orElseThrow());
    }
    assertThat(etags).hasSize(1);
    assertThat(catalog.metrics().meter("cache.app_pages.loads").getCount() - loadsBefore)
        .isEqualTo(1);
  }

  @Test
  void F2_F25_searchesBeyondBulkheadWhileDatabaseSlow_excess503RetryAfterBrowsingServed()
      throws Exception {
    String cachedSlug = coldSlug(1);
    assertThat(http.get("api/v1/apps/" + cachedSlug).status()).isEqualTo(200);
    List<CompletableFuture<HttpResponse<String>>> searches = new ArrayList<>();

    try (Connection lock = lockAppTable()) {
      for (int i = 0; i < 12; i++) {
        searches.add(
            http.raw()
                .sendAsync(
                    HttpRequest.newBuilder(http.base().resolve("api/v1/search?q=word" + i))
                        .timeout(Duration.ofSeconds(120))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()));
      }
      // The 4 searches holding the bulkhead wait on the lock; the other 8 are turned away.
      List<HttpResponse<String>> rejected = new ArrayList<>();
      for (int i = 0; i < 600 && rejected.size() < 8; i++) {
        rejected.clear();
        for (CompletableFuture<HttpResponse<String>> s : searches) {
          if (s.isDone()) {
            rejected.add(s.get());
          }
        }
        Thread.sleep(50);
      }
      assertThat(rejected).hasSize(8);
      assertThat(searches.stream().filter(s -> !s.isDone())).hasSize(4);
      for (HttpResponse<String> r : rejected) {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("10");
        assertThat(r.body()).contains("SEARCH_UNAVAILABLE");
      }
      assertThat(catalog.metrics().counter("bulkhead.search-db.rejected").getCount()).isEqualTo(8);
      assertThat(http.get("api/v1/apps/" + cachedSlug).status()).isEqualTo(200);
      lock.rollback();
    }

    long served = 0;
    for (CompletableFuture<HttpResponse<String>> s : searches) {
      if (s.get(120, TimeUnit.SECONDS).statusCode() == 200) {
        served++;
      }
    }
    assertThat(served).isEqualTo(4);
  }

  /** Blocks reads of catalog.app on the replica until the returned connection rolls back. */
  private static Connection lockAppTable() throws Exception {
    Connection connection = database.openPrimary();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE catalog.app IN ACCESS EXCLUSIVE MODE");
    }
    // A commit elsewhere flushes the WAL up to here, lock record included, so the replica gets it.
    try (Connection other = database.openPrimary();
        Statement statement = other.createStatement()) {
      statement.execute("SELECT txid_current()");
    }
    try (Connection replica = database.openReplica();
        Statement statement = replica.createStatement()) {
      for (int i = 0; i < 600; i++) {
        try (ResultSet row =
            statement.executeQuery(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                    + " WHERE c.relname = 'app' AND l.mode = 'AccessExclusiveLock'")) {
          row.next();
          if (row.getInt(1) > 0) {
            return connection;
          }
        }
        Thread.sleep(50);
      }
    }
    connection.close();
    throw new AssertionError("the replica never replayed the table lock");
  }

  private static void awaitActiveRequests(int expected) throws InterruptedException {
    Map<String, Counter> counters =
        catalog.metrics().getCounters((name, metric) -> name.endsWith("active-requests"));
    assertThat(counters).isNotEmpty();
    long seen = 0;
    for (int i = 0; i < 3600; i++) { // up to 3 minutes on a loaded machine; normally seconds
      seen = counters.values().stream().mapToLong(Counter::getCount).max().orElse(0);
      if (seen >= expected) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("only " + seen + " of " + expected + " requests arrived");
  }

  private static String coldSlug(int offset) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT slug FROM catalog.app WHERE status = 'public' ORDER BY id DESC"
                        + " OFFSET :o LIMIT 1")
                .bind("o", offset)
                .mapTo(String.class)
                .one());
  }
}
