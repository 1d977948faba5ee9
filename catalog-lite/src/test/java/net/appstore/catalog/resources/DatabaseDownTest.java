package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database stopped under a running service (F4, F15, F16): on a cluster of its own, with values
 * fresh for one second so that cached pages are stale, and refreshed, during the outage.
 */
@PostgresTest(dedicatedCluster = true)
class DatabaseDownTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static Jdbi primary;
  private static PostgresTestDatabase database;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    database = db;
    CatalogDatabases.migrateAndSeed(db, 100, 500, 9);
    primary = CatalogDatabases.primary(db);
    catalog =
        RunningCatalog.start(
            db,
            null,
            Files.createTempDirectory("blocklist-"),
            ConfigOverride.config("cache.freshFor", "1s"));
    http = catalog.client();
  }

  @AfterEach
  void heal() {
    database.restoreHealthy();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void F4_appDbDown_cachedPageServedStaleUncached503() throws Exception {
    String cached = slug(0);
    String uncached = slug(1);
    Reply before = http.get("api/v1/apps/" + cached);
    http.get("api/v1/categories");

    database.stopReplica();
    database.stopPrimary();
    Thread.sleep(1_500); // older than freshFor: every read below tries a refresh, which fails

    Reply stale = http.get("api/v1/apps/" + cached);
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo(before.body());
    assertThat(stale.header("ETag")).isEqualTo(before.header("ETag"));
    assertThat(http.get("api/v1/categories").status()).isEqualTo(200);

    Reply cold = http.get("api/v1/apps/" + uncached);
    assertThat(cold.status()).isEqualTo(503);
    assertThat(cold.header("Retry-After")).isPresent();
    assertThat(cold.json().get("reason").asText()).isEqualTo("DATABASE_UNAVAILABLE");
    assertThat(cold.body()).doesNotContain("Exception").doesNotContain("at org.");
    assertThat(http.get("api/v1/apps?sort=rating&page=3").status()).isEqualTo(503);
    assertThat(catalog.metrics().meter("cache.app_pages.stale_served").getCount()).isPositive();
  }

  @Test
  void F4_heartbeat_databaseDown_503NamingTheDatabase() {
    database.stopReplica();

    Reply heartbeat = catalog.admin().get("__heartbeat__");

    assertThat(heartbeat.status()).isEqualTo(503);
    assertThat(heartbeat.json().get("checks").get("replica").get("healthy").asBoolean()).isFalse();
    assertThat(catalog.admin().get("__lbheartbeat__").status()).isEqualTo(200);
  }

  @Test
  void F15_updateCheckVersionDbDown_noUpdateShortCacheCounted() {
    long degradedBefore = catalog.metrics().meter("update_check.degraded").getCount();
    database.stopReplica();

    Reply reply = http.get("api/v1/update?id=" + slug(2) + "&version=0.1&appVersion=99");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("addons").get(slug(2)).get("updates")).isEmpty();
    assertThat(reply.header("Cache-Control").orElseThrow()).contains("max-age=60");
    assertThat(catalog.metrics().meter("update_check.degraded").getCount())
        .isEqualTo(degradedBefore + 1);
  }

  @Test
  void F16_updateCheckReplicaBehind_olderAnswerUntilCaughtUp() throws Exception {
    String app = slug(3);
    String newest =
        http.get("api/v1/update?id=" + app + "&version=0.1&appVersion=99")
            .json()
            .get("addons")
            .get(app)
            .get("updates")
            .get(0)
            .get("version")
            .asText();
    database.pauseReplay();
    primary.useHandle(
        h ->
            h.execute(
                "INSERT INTO catalog.app_version (app_id, version, released_at, package_url,"
                    + " package_sha256, min_platform_version) SELECT id, '99.0', now(),"
                    + " 'https://packages.example/x.zip', repeat('d', 64), '1.0'"
                    + " FROM catalog.app WHERE slug = ?",
                app));
    Thread.sleep(1_500); // the cached versions are stale: the next read refreshes from the replica

    http.get("api/v1/update?id=" + app + "&version=0.1&appVersion=99");
    Reply behind = http.get("api/v1/update?id=" + app + "&version=0.1&appVersion=99");
    assertThat(version(behind, app)).isEqualTo(newest);

    database.resumeReplay();
    database.awaitReplicaCaughtUp();
    // Within freshFor (1 s here) of the replica catching up, a read refreshes the cached versions.
    String seen = newest;
    for (int i = 0; i < 100 && !seen.equals("99.0"); i++) {
      Thread.sleep(100);
      seen = version(http.get("api/v1/update?id=" + app + "&version=0.1&appVersion=99"), app);
    }
    assertThat(seen).isEqualTo("99.0");
  }

  @Test
  void F4_databaseBack_uncachedPagesServedAgain() {
    String uncached = slug(4);
    database.stopReplica();
    assertThat(http.get("api/v1/apps/" + uncached).status()).isEqualTo(503);

    database.restoreHealthy();

    assertThat(http.get("api/v1/apps/" + uncached).status()).isEqualTo(200);
  }

  private static String version(Reply reply, String app) {
    return reply.json().get("addons").get(app).get("updates").get(0).get("version").asText();
  }

  private static String slug(int n) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT a.slug FROM catalog.app a WHERE a.status = 'public' AND EXISTS"
                        + " (SELECT 1 FROM catalog.app_version v WHERE v.app_id = a.id)"
                        + " ORDER BY a.id OFFSET :n LIMIT 1")
                .bind("n", n)
                .mapTo(String.class)
                .one());
  }
}
