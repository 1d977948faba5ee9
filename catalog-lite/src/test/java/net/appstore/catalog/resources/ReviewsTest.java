package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reviews with real OpenID Connect tokens from the development IdP, on a cluster of its own so that
 * replication can be paused (F6).
 */
@PostgresTest(dedicatedCluster = true)
class ReviewsTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static DevIdpServer idp;
  private static Jdbi primary;
  private static PostgresTestDatabase database;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    database = db;
    CatalogDatabases.migrateAndSeed(db, 50, 200, 5);
    primary = CatalogDatabases.primary(db);
    idp =
        DevIdpServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            TestTls.withKey(TestTls.pki().serverKeyStore()),
            IdpKey.generate(),
            null,
            Clock.systemUTC());
    catalog =
        RunningCatalog.start(
            db,
            idp.baseUri(),
            Files.createTempDirectory("blocklist-"),
            io.dropwizard.testing.ConfigOverride.config("cache.freshFor", "1s"));
    http = catalog.client();
  }

  @AfterEach
  void heal() {
    database.restoreHealthy();
  }

  @AfterAll
  static void stop() {
    catalog.close();
    idp.close();
  }

  @Test
  void postReview_withoutToken_401WithBearerChallenge() {
    Reply reply = http.post("api/v1/apps/" + anyApp() + "/reviews", "{\"rating\": 5}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
  }

  @Test
  void postReview_tokenFromOtherIssuerKey_401() {
    DevIdpServer impostor =
        DevIdpServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            null,
            IdpKey.generate(),
            idp.issuer(),
            Clock.systemUTC());
    try {
      String forged = impostor.issue(TokenRequest.of("mallory", Role.OPERATOR));

      Reply reply = post(anyApp(), forged, "{\"rating\": 1}");

      assertThat(reply.status()).isEqualTo(401);
    } finally {
      impostor.close();
    }
  }

  @Test
  void postReview_tokenForOtherAudience_401() {
    String token =
        idp.issue(new TokenRequest("alice", Role.USER, "another-service", Duration.ofMinutes(5)));

    assertThat(post(anyApp(), token, "{\"rating\": 4}").status()).isEqualTo(401);
  }

  @Test
  void postReview_invalidRating_422() {
    String token = idp.issue(TokenRequest.of("alice", Role.USER));

    assertThat(post(anyApp(), token, "{\"rating\": 6}").status()).isEqualTo(422);
    assertThat(post(anyApp(), token, "{}").status()).isEqualTo(422);
  }

  @Test
  void postReview_unknownApp_404() {
    String token = idp.issue(TokenRequest.of("alice", Role.USER));

    assertThat(post("no-such-app", token, "{\"rating\": 4}").status()).isEqualTo(404);
  }

  @Test
  void postReview_validToken_201AndRatingAggregateUpdatedInSameTransaction() {
    String slug = anyApp();
    int before = ratingCount(slug);
    String token = idp.issue(TokenRequest.of("reviewer-1", Role.USER));

    Reply reply = post(slug, token, "{\"rating\": 5, \"body\": \"Great\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.json().get("author").asText()).isEqualTo("reviewer-1");
    assertThat(reply.json().get("rating").asInt()).isEqualTo(5);
    assertThat(ratingCount(slug)).isEqualTo(before + 1);
  }

  @Test
  void postReview_sameAuthorTwice_replacesTheReview() {
    String slug = anyApp();
    String token = idp.issue(TokenRequest.of("reviewer-2", Role.USER));
    post(slug, token, "{\"rating\": 2, \"body\": \"meh\"}");
    int count = ratingCount(slug);

    Reply second = post(slug, token, "{\"rating\": 4, \"body\": \"better now\"}");

    assertThat(second.status()).isEqualTo(201);
    assertThat(ratingCount(slug)).isEqualTo(count);
    String body =
        primary.withHandle(
            h ->
                h.createQuery("SELECT body FROM catalog.review WHERE author_sub = 'reviewer-2'")
                    .mapTo(String.class)
                    .one());
    assertThat(body).isEqualTo("better now");
  }

  @Test
  void F6_postReview_replicaPaused_authorSeesItAtOnceOthersOnceReplicated() {
    String slug = anyApp();
    http.get("api/v1/apps/" + slug); // cached before the write
    database.pauseReplay();
    String token = idp.issue(TokenRequest.of("reader-f6", Role.USER));

    Reply posted = post(slug, token, "{\"rating\": 3, \"body\": \"read-your-writes\"}");
    long id = posted.json().get("id").asLong();

    JsonNode authorView =
        http.get("api/v1/apps/" + slug, "Authorization", "Bearer " + token).json();
    assertThat(ids(authorView)).contains(id);
    Reply anonymous = http.get("api/v1/apps/" + slug);
    assertThat(ids(anonymous.json())).doesNotContain(id);
    assertThat(
            http.get("api/v1/apps/" + slug, "Authorization", "Bearer " + token)
                .header("Cache-Control"))
        .contains("private, no-cache");

    database.resumeReplay();
    database.awaitReplicaCaughtUp();
    assertThat(eventuallyContains(slug, id)).isTrue();
  }

  @Test
  void appPage_invalidToken_servedAsToAnyone() {
    String slug = anyApp();

    Reply reply = http.get("api/v1/apps/" + slug, "Authorization", "Bearer not.a.token");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Cache-Control").orElseThrow()).startsWith("public");
  }

  @Test
  void developerStats_ownerOrOperator_200OthersForbidden() {
    String[] developer =
        primary.withHandle(
            h ->
                h.createQuery(
                        "SELECT d.slug, d.oidc_subject FROM catalog.developer d"
                            + " WHERE EXISTS (SELECT 1 FROM catalog.app a WHERE a.developer_id = d.id)"
                            + " ORDER BY d.id LIMIT 1")
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                    .one());
    String path = "api/v1/developers/" + developer[0] + "/stats";

    Reply owner =
        http.get(
            path, "Authorization", "Bearer " + idp.issue(TokenRequest.of(developer[1], Role.USER)));
    Reply operator =
        http.get(
            path, "Authorization", "Bearer " + idp.issue(TokenRequest.of("ops", Role.OPERATOR)));
    Reply stranger =
        http.get(path, "Authorization", "Bearer " + idp.issue(TokenRequest.of("eve", Role.USER)));

    assertThat(owner.status()).as(owner.body()).isEqualTo(200);
    assertThat(owner.json().get("apps").asInt()).isPositive();
    assertThat(owner.json().get("per_app").get(0).has("weekly_downloads")).isTrue();
    assertThat(owner.header("Cache-Control")).contains("no-store");
    assertThat(operator.status()).isEqualTo(200);
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(http.get(path).status()).isEqualTo(401);
  }

  @Test
  void F27_developerStats_databaseDown_503NotStale() {
    String token = idp.issue(TokenRequest.of("ops", Role.OPERATOR));
    String slug =
        primary.withHandle(
            h ->
                h.createQuery("SELECT slug FROM catalog.developer LIMIT 1")
                    .mapTo(String.class)
                    .one());
    database.stopReplica();

    Reply reply =
        http.get("api/v1/developers/" + slug + "/stats", "Authorization", "Bearer " + token);

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isPresent();
  }

  @Test
  void F28_developerStats_replicaBehind_lastStatisticsShownWithTheirAsOfTime() throws Exception {
    String token = "Bearer " + idp.issue(TokenRequest.of("ops", Role.OPERATOR));
    String app =
        primary.withHandle(
            h ->
                h.createQuery("SELECT slug FROM catalog.app WHERE status = 'public' LIMIT 1")
                    .mapTo(String.class)
                    .one());
    String developer =
        primary.withHandle(
            h ->
                h.createQuery(
                        "SELECT d.slug FROM catalog.developer d JOIN catalog.app a"
                            + " ON a.developer_id = d.id WHERE a.slug = :app")
                    .bind("app", app)
                    .mapTo(String.class)
                    .one());
    String path = "api/v1/developers/" + developer + "/stats";
    database.pauseReplay();
    Instant written = Instant.now();
    primary.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE catalog.app SET weekly_downloads = weekly_downloads + 1000"
                        + " WHERE slug = :app")
                .bind("app", app)
                .execute());

    // Once the replica has received the write it cannot replay, as_of falls behind it.
    Reply behind = awaitStats(path, token, r -> asOf(r).isBefore(written));

    long before = downloadsOf(behind, app);
    assertThat(primaryDownloads(app))
        .as("the replica shows the older figure")
        .isEqualTo(before + 1000);

    database.resumeReplay();
    Reply current = awaitStats(path, token, r -> downloadsOf(r, app) == before + 1000);
    assertThat(asOf(current)).isAfter(written);
  }

  private static Instant asOf(Reply stats) {
    return Instant.parse(stats.json().get("as_of").asText());
  }

  private static long primaryDownloads(String app) {
    return primary.withHandle(
        h ->
            h.createQuery("SELECT weekly_downloads FROM catalog.app WHERE slug = :app")
                .bind("app", app)
                .mapTo(Long.class)
                .one());
  }

  private static long downloadsOf(Reply stats, String app) {
    for (var item : stats.json().get("per_app")) {
      if (item.get("slug").asText().equals(app)) {
        return item.get("weekly_downloads").asLong();
      }
    }
    throw new AssertionError(app + " not in " + stats.body());
  }

  private static Reply awaitStats(
      String path, String token, java.util.function.Predicate<Reply> done) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Reply reply = http.get(path, "Authorization", token);
      if (reply.status() == 200 && done.test(reply)) {
        return reply;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("statistics did not catch up: " + reply.body());
      }
      Thread.sleep(100);
    }
  }

  @Test
  void blocklistEntries_operatorAddsAndRemoves_userForbidden() {
    String operator = "Bearer " + idp.issue(TokenRequest.of("ops", Role.OPERATOR));
    String user = "Bearer " + idp.issue(TokenRequest.of("alice", Role.USER));
    String entry =
        "{\"app\": \""
            + anyApp()
            + "\", \"max_version\": \"2.*\", \"severity\": \"hard\","
            + " \"reason\": \"ships malware\"}";

    assertThat(http.post("api/v1/blocklist/entries", entry, "Authorization", user).status())
        .isEqualTo(403);
    Reply added = http.post("api/v1/blocklist/entries", entry, "Authorization", operator);
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    long id = added.json().get("id").asLong();
    assertThat(http.get("api/v1/blocklist/entries", "Authorization", operator).body())
        .contains("ships malware");
    assertThat(
            http.send(
                    java.net.http.HttpRequest.newBuilder(
                            http.base().resolve("api/v1/blocklist/entries/" + id))
                        .header("Authorization", operator)
                        .DELETE()
                        .build())
                .status())
        .isEqualTo(204);
    assertThat(http.get("api/v1/blocklist/entries", "Authorization", operator).body())
        .doesNotContain("ships malware");
  }

  private static boolean eventuallyContains(String slug, long id) {
    for (int i = 0; i < 100; i++) {
      if (ids(http.get("api/v1/apps/" + slug).json()).contains(id)) {
        return true;
      }
      sleep(100);
    }
    return false;
  }

  private static java.util.List<Long> ids(JsonNode page) {
    java.util.List<Long> ids = new java.util.ArrayList<>();
    page.get("reviews").forEach(r -> ids.add(r.get("id").asLong()));
    return ids;
  }

  private static Reply post(String slug, String token, String body) {
    return http.post("api/v1/apps/" + slug + "/reviews", body, "Authorization", "Bearer " + token);
  }

  private static String anyApp() {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT slug FROM catalog.app WHERE status = 'public' ORDER BY random() LIMIT 1")
                .mapTo(String.class)
                .one());
  }

  private static int ratingCount(String slug) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT coalesce(r.count, 0) FROM catalog.app a LEFT JOIN catalog.app_rating r"
                        + " ON r.app_id = a.id WHERE a.slug = :s")
                .bind("s", slug)
                .mapTo(Integer.class)
                .one());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
