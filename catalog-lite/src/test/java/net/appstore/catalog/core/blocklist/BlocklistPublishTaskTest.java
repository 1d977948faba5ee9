package net.appstore.catalog.core.blocklist;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.catalog.testing.TestSigningRoot;
import net.appstore.catalog.testing.TestTls;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /tasks/blocklist-publish}: a publication now, from the running server (what {@code
 * ./ops/stack blocklist-publish} calls in drills); a failed one says why and leaves the last good
 * version served (F17).
 */
@PostgresTest
class BlocklistPublishTaskTest {

  private static StubSignerServer signer;
  private static RunningCatalog catalog;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 50, 200, 9);
    signer = new StubSignerServer(TestTls.withKey(TestTls.pki().serverKeyStore()));
    catalog =
        RunningCatalog.start(
            db,
            null,
            Files.createTempDirectory("blocklist-"),
            ConfigOverride.config("blocklist.signerUrl", signer.baseUri().toString()),
            ConfigOverride.config("blocklist.signerJwksUrl", signer.jwksUri().toString()),
            // Publication is off without a pinned root; the stub signer's key chains to this one.
            ConfigOverride.config("blocklist.pinnedRoot", TestSigningRoot.shared().pem()),
            ConfigOverride.config("blocklist.publishEvery", "0s"),
            ConfigOverride.config("blocklist.checkEvery", "100ms"),
            ConfigOverride.config("tlsClient.keyStorePath", TestTls.clientKeyStore().toString()),
            ConfigOverride.config("tlsClient.keyStorePassword", TestPki.PASSWORD));
  }

  @AfterAll
  static void stop() {
    catalog.close();
    signer.close();
  }

  @Test
  void publishTask_signerUp_publishes_signerDown_failsWithReasonAndKeepsTheLastGoodVersion()
      throws Exception {
    Reply first = catalog.admin().post("tasks/blocklist-publish", "");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("published").asBoolean()).isTrue();
    long version = first.json().get("version").asLong();
    assertThat(awaitServedVersion(version)).isTrue();

    signer.unavailableFor(100);
    Reply failed = catalog.admin().post("tasks/blocklist-publish", "");

    assertThat(failed.status()).isEqualTo(200);
    assertThat(failed.json().get("published").asBoolean()).isFalse();
    assertThat(failed.json().get("error").asText()).isNotBlank();
    assertThat(servedVersion()).isEqualTo(version);
  }

  private static long servedVersion() {
    Reply served = catalog.client().get("blocklist/v1/blocklist.json");
    return served.status() == 200 ? served.json().get("version").asLong() : -1;
  }

  private static boolean awaitServedVersion(long version) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (servedVersion() == version) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
