package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.catalog.testing.TestTls;
import net.appstore.devservices.idp.DevIdpServer;
import net.appstore.devservices.idp.IdpKey;
import net.appstore.devservices.idp.Role;
import net.appstore.devservices.idp.TokenRequest;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * F26: the identity provider down. Ordered, because the first test needs a service that never
 * reached the IdP and the second one that has its keys cached.
 */
@PostgresTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityOutageTest {

  private static final IdpKey KEY = IdpKey.generate();
  private static int idpPort;
  private static URI idpBase;
  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static String slug;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 30, 100, 2);
    Jdbi primary = CatalogDatabases.primary(db);
    slug =
        primary.withHandle(
            h ->
                h.createQuery("SELECT slug FROM catalog.app WHERE status = 'public' LIMIT 1")
                    .mapTo(String.class)
                    .one());
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      idpPort = probe.getLocalPort();
    }
    idpBase = URI.create("https://localhost:" + idpPort + "/");
    catalog = RunningCatalog.start(db, idpBase, Files.createTempDirectory("blocklist-"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  @Order(1)
  void F26_idpNeverReached_reviewPost503BrowsingAndUpdatesUnaffected() {
    String token = mint("carol");

    Reply post = postReview(token);
    assertThat(post.status()).isEqualTo(503);
    assertThat(post.json().get("reason").asText()).isEqualTo("IDENTITY_UNAVAILABLE");
    assertThat(post.header("Retry-After")).isPresent();

    Reply page = http.get("api/v1/apps/" + slug, "Authorization", "Bearer " + token);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Cache-Control").orElseThrow()).startsWith("public");
    assertThat(http.get("api/v1/categories").status()).isEqualTo(200);
    assertThat(http.get("api/v1/update?id=" + slug + "&version=0.1&appVersion=9").status())
        .isEqualTo(200);
  }

  @Test
  @Order(2)
  void F26_idpDownAfterKeysCached_tokensStillAccepted() throws Exception {
    DevIdpServer idp = startIdp();
    try {
      Reply first = null;
      for (int i = 0; i < 50; i++) { // the refresh after the outage is rate limited (1 s here)
        first = postReview(mint("dave"));
        if (first.status() != 503) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(first.status()).as(first.body()).isEqualTo(201);
    } finally {
      idp.close();
    }

    Reply whileDown = postReview(mint("erin"));

    assertThat(whileDown.status()).as(whileDown.body()).isEqualTo(201);
  }

  private static Reply postReview(String token) {
    return http.post(
        "api/v1/apps/" + slug + "/reviews",
        "{\"rating\": 4, \"body\": \"ok\"}",
        "Authorization",
        "Bearer " + token);
  }

  private static DevIdpServer startIdp() {
    return DevIdpServer.start(
        InetAddress.getLoopbackAddress(),
        idpPort,
        TestTls.withKey(TestTls.pki().serverKeyStore()),
        KEY,
        null,
        Clock.systemUTC());
  }

  /** A token as the IdP at idpBase issues it, whether or not that IdP runs right now. */
  private static String mint(String user) {
    DevIdpServer offline =
        DevIdpServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            null,
            KEY,
            idpBase.toString().replaceAll("/$", ""),
            Clock.systemUTC());
    try {
      return offline.issue(TokenRequest.of(user, Role.USER));
    } finally {
      offline.close();
    }
  }
}
