package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The update check, in the shape of the Firefox update manifest, against known versions. */
@PostgresTest
class UpdateCheckTest {

  private static final String SHA_15 = "a".repeat(64);
  private static RunningCatalog catalog;
  private static HttpsClient http;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 20, 0, 1);
    Jdbi primary = CatalogDatabases.primary(db);
    primary.useHandle(
        h -> {
          long developer =
              h.createQuery("SELECT min(id) FROM catalog.developer").mapTo(Long.class).one();
          long app =
              h.createQuery(
                      "INSERT INTO catalog.app (slug, name, developer_id, origin_url, status)"
                          + " VALUES ('notes-app', 'Notes', :d, 'https://notes.example', 'public')"
                          + " RETURNING id")
                  .bind("d", developer)
                  .mapTo(Long.class)
                  .one();
          String[][] versions = {
            {"1.0", "1.0", "0".repeat(64)},
            {"1.5", "2.0", SHA_15},
            {"2.0b1", "2.0", "b".repeat(64)},
            {"2.0", "3.0", "c".repeat(64)},
          };
          for (String[] v : versions) {
            h.execute(
                "INSERT INTO catalog.app_version (app_id, version, released_at, package_url,"
                    + " package_sha256, min_platform_version) VALUES (?, ?, now(), ?, ?, ?)",
                app,
                v[0],
                "https://packages.example/notes-" + v[0] + ".zip",
                v[2],
                v[1]);
          }
        });
    db.awaitReplicaCaughtUp();
    catalog = RunningCatalog.start(db, null, Files.createTempDirectory("blocklist-"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @ParameterizedTest(name = "running {0} on platform {1}: {2}")
  @CsvSource({
    "1.0, 3.0, 2.0",
    "1.0, 2.5, 2.0b1",
    "1.0, 2.0, 2.0b1",
    "1.0, 1.9, ''",
    "1.5, 2.0, 2.0b1",
    "2.0b1, 3.0, 2.0",
    "2.0, 3.0, ''",
    "9.0, 3.0, ''",
  })
  void update_versionsAndPlatform_newestCompatibleOrNone(
      String current, String platform, String expected) {
    Reply reply =
        http.get("api/v1/update?id=notes-app&version=" + current + "&appVersion=" + platform);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode updates = reply.json().get("addons").get("notes-app").get("updates");
    if (expected.isEmpty()) {
      assertThat(updates).isEmpty();
    } else {
      assertThat(updates).hasSize(1);
      assertThat(updates.get(0).get("version").asText()).isEqualTo(expected);
    }
  }

  @Test
  void update_newerVersion_firefoxManifestShape() {
    JsonNode update =
        http.get("api/v1/update?id=notes-app&version=1.0&appVersion=2.0")
            .json()
            .get("addons")
            .get("notes-app")
            .get("updates")
            .get(0);

    assertThat(update.get("update_link").asText())
        .isEqualTo("https://packages.example/notes-2.0b1.zip");
    assertThat(update.get("update_hash").asText()).isEqualTo("sha256:" + "b".repeat(64));
    assertThat(update.get("applications").get("gecko").get("strict_min_version").asText())
        .isEqualTo("2.0");
  }

  @Test
  void update_normalAnswer_cacheableWithEtag() {
    Reply reply = http.get("api/v1/update?id=notes-app&version=1.0&appVersion=3.0");

    assertThat(reply.header("Cache-Control").orElseThrow()).contains("max-age=600");
    assertThat(
            http.get(
                    "api/v1/update?id=notes-app&version=1.0&appVersion=3.0",
                    "If-None-Match",
                    reply.header("ETag").orElseThrow())
                .status())
        .isEqualTo(304);
  }

  @Test
  void update_unknownApp_noUpdate() {
    Reply reply = http.get("api/v1/update?id=never-heard-of&version=1.0&appVersion=3.0");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("addons").get("never-heard-of").get("updates")).isEmpty();
  }

  @Test
  void update_missingOrMalformedParameters_400() {
    assertThat(http.get("api/v1/update?id=notes-app&version=1.0").status()).isEqualTo(400);
    assertThat(http.get("api/v1/update?id=Notes!&version=1.0&appVersion=2").status())
        .isEqualTo(400);
    assertThat(http.get("api/v1/update?id=notes-app&version=1%200&appVersion=2").status())
        .isEqualTo(400);
  }
}
