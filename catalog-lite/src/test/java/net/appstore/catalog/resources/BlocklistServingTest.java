package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import net.appstore.catalog.core.blocklist.BlocklistPublishing;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.catalog.testing.TestTls;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blocklist as clients fetch it from the running service, published by the {@code
 * blocklist-publish} command through a stub of the signer contract over mutual TLS.
 */
@PostgresTest
class BlocklistServingTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static BlocklistPublishing publishing;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 500, 0, 4);
    Path dir = Files.createTempDirectory("blocklist-");
    publishing = BlocklistPublishing.start(db, dir);
    catalog = RunningCatalog.start(db, null, dir);
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
    publishing.close();
  }

  @Test
  void F17_F18_blocklist_servedWithEtagVerifiableAndKeptWhenGenerationFails() throws Exception {
    Reply none = http.get("blocklist/v1/blocklist.jwt");
    assertThat(none.status()).isEqualTo(503);
    assertThat(none.json().get("reason").asText()).isEqualTo("NO_BLOCKLIST");

    assertThat(publishing.publish().error()).isEmpty();
    Reply signed = awaitVersion(1);
    assertThat(signed.header("Content-Type").orElseThrow()).startsWith("application/jwt");
    assertThat(signed.header("Cache-Control").orElseThrow()).contains("max-age=300");
    assertThat(
            http.get(
                    "blocklist/v1/blocklist.jwt",
                    "If-None-Match",
                    signed.header("ETag").orElseThrow())
                .status())
        .isEqualTo(304);
    var payload = BlocklistPublishing.verifyIndependently(signed.body(), publishing.jwksJson());
    Reply readable = http.get("blocklist/v1/blocklist.json");
    assertThat(readable.status()).isEqualTo(200);
    assertThat(readable.json()).isEqualTo(payload);
    assertThat(payload.get("entries").size()).isEqualTo(1);

    publishing.signerUnavailableFor(1);
    BlocklistPublishing.Result failed = publishing.publish();
    assertThat(failed.error()).isPresent();
    assertThat(failed.stderr()).contains("blocklist not published").contains("503");
    assertThat(http.get("blocklist/v1/blocklist.jwt").body()).isEqualTo(signed.body());
    assertThat(ageSeconds()).isGreaterThanOrEqualTo(0L);

    assertThat(publishing.publish().error()).isEmpty();
    assertThat(
            BlocklistPublishing.verifyIndependently(awaitVersion(3).body(), publishing.jwksJson())
                .get("version")
                .asLong())
        .isEqualTo(3);
  }

  @Test
  void metrics_prometheus_exposesBlocklistAgeForTheStalenessAlert() {
    Reply metrics = catalog.admin().get("metrics/prometheus");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("blocklist_age_seconds");
  }

  private static long ageSeconds() {
    return (Long) catalog.metrics().getGauges().get("blocklist.age_seconds").getValue();
  }

  private static Reply awaitVersion(long version) throws InterruptedException {
    Optional<Reply> seen = Optional.empty();
    for (int i = 0; i < 100; i++) {
      Reply json = http.get("blocklist/v1/blocklist.json");
      if (json.status() == 200 && json.json().get("version").asLong() == version) {
        return http.get("blocklist/v1/blocklist.jwt");
      }
      seen = Optional.of(json);
      Thread.sleep(100);
    }
    throw new AssertionError(
        "version " + version + " never served; last " + seen.orElse(null) + " " + TestTls.class);
  }

  static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
