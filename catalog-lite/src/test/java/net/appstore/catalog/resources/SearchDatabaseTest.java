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

/**
 * Search is a dependency of its own (F3): with its database unreachable (searchDatabase.url on a
 * port nobody listens on, as the stack's search-down fault does) the service starts, search answers
 * 503 SEARCH_UNAVAILABLE with Retry-After, and browsing, on the replica, is unaffected.
 */
@PostgresTest
class SearchDatabaseTest {

  /** The discard port, closed on this machine (a free ephemeral port could be taken meanwhile). */
  private static final int NOBODY_LISTENS = 9;

  private static RunningCatalog catalog;
  private static HttpsClient http;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 50, 200, 5);
    String unreachable =
        db.replicaJdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + NOBODY_LISTENS + "/");
    catalog = RunningCatalog.start(db, unreachable, null, Files.createTempDirectory("blocklist-"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void searchDatabaseUnreachable_search503WithRetryAfter_browsingContinues() {
    Reply search = http.get("api/v1/search?q=notes");

    assertThat(search.status()).isEqualTo(503);
    assertThat(search.json().get("reason").asText()).isEqualTo("SEARCH_UNAVAILABLE");
    assertThat(search.header("Retry-After")).isPresent();
    assertThat(http.get("api/v1/categories").status()).isEqualTo(200);
    assertThat(http.get("api/v1/apps?sort=new").status()).isEqualTo(200);
    assertThat(http.get("api/v1/home").status()).isEqualTo(200);
  }
}
