package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /tasks/cache-clear}: after it, pages are loaded from the database again (F2). */
@PostgresTest
class CacheClearTaskTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 50, 200, 7);
    catalog = RunningCatalog.start(db, null, Files.createTempDirectory("blocklist-"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void cacheClear_reportsWhatWasCached_nextRequestLoadsFromTheDatabase() {
    assertThat(http.get("api/v1/categories").status()).isEqualTo(200);
    assertThat(http.get("api/v1/categories").status()).isEqualTo(200);
    assertThat(categoryLoads()).isEqualTo(1); // the second was served from the cache

    Reply cleared = catalog.admin().post("tasks/cache-clear", "");

    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().get("cleared").get("categories").asLong()).isEqualTo(1);
    assertThat(http.get("api/v1/categories").status()).isEqualTo(200);
    assertThat(categoryLoads()).isEqualTo(2);
  }

  private static long categoryLoads() {
    return catalog.metrics().meter("cache.categories.loads").getCount();
  }
}
