package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One part of the data unusable while the rest works (F3, F5): a renamed column or table stands in
 * for a broken search index or an unreachable reviews store. Only this class's database is altered,
 * so the shared cluster is fine.
 */
@PostgresTest
class PartialFailuresTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static Jdbi primary;
  private static PostgresTestDatabase database;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    database = db;
    CatalogDatabases.migrateAndSeed(db, 100, 1000, 11);
    primary = CatalogDatabases.primary(db);
    catalog =
        RunningCatalog.start(
            db,
            null,
            Files.createTempDirectory("blocklist-"),
            ConfigOverride.config("cache.partialRetryAfter", "200ms"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void F3_searchBroken_search503BrowsingContinues() {
    alter("ALTER TABLE catalog.app RENAME COLUMN search TO search_broken");
    try {
      Reply search = http.get("api/v1/search?q=notes");
      assertThat(search.status()).isEqualTo(503);
      assertThat(search.json().get("reason").asText()).isEqualTo("SEARCH_UNAVAILABLE");
      assertThat(search.header("Retry-After")).isPresent();

      assertThat(http.get("api/v1/categories").status()).isEqualTo(200);
      assertThat(http.get("api/v1/apps?sort=new&page=2").status()).isEqualTo(200);
      assertThat(http.get("api/v1/apps/" + slug(0)).status()).isEqualTo(200);
      assertThat(http.get("api/v1/home").status()).isEqualTo(200);
    } finally {
      alter("ALTER TABLE catalog.app RENAME COLUMN search_broken TO search");
    }
    assertThat(http.get("api/v1/search?q=notes").status()).isEqualTo(200);
  }

  @Test
  void F5_reviewsUnavailable_pageRendersWithoutThemMarkedPartial() throws Exception {
    String slug = slug(1);
    alter("ALTER TABLE catalog.review RENAME TO review_unavailable");
    JsonNode page;
    Reply reply;
    try {
      reply = http.get("api/v1/apps/" + slug);
      page = reply.json();
    } finally {
      alter("ALTER TABLE catalog.review_unavailable RENAME TO review");
    }

    assertThat(reply.status()).isEqualTo(200);
    assertThat(page.get("name").asText()).isNotEmpty();
    assertThat(page.get("partial").asBoolean()).isTrue();
    assertThat(page.get("unavailable")).extracting(JsonNode::asText).contains("reviews", "rating");
    assertThat(page.get("reviews").isNull()).isTrue();
    assertThat(reply.header("Cache-Control").orElseThrow()).contains("max-age=10");

    // Once reviews are back, the partial page is replaced soon (partialRetryAfter), not after
    // freshFor.
    boolean complete = false;
    for (int i = 0; i < 100 && !complete; i++) {
      Thread.sleep(100);
      complete = !http.get("api/v1/apps/" + slug).json().get("partial").asBoolean();
    }
    assertThat(complete).isTrue();
  }

  private static void alter(String ddl) {
    primary.useHandle(h -> h.execute(ddl));
    database.awaitReplicaCaughtUp();
  }

  private static String slug(int n) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT slug FROM catalog.app WHERE status = 'public' ORDER BY id OFFSET :n"
                        + " LIMIT 1")
                .bind("n", n)
                .mapTo(String.class)
                .one());
  }
}
