package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CachedReadFilter} answers a cached app page or update check exactly as Jersey does. The
 * first request after a cache clear is a miss, answered by Jersey; the same request again is a hit,
 * answered by the filter (its meter says which answered); the two answers must be the same, byte
 * for byte and header for header (all but {@code Date} and the request id, which differ by design).
 */
@PostgresTest
class CachedReadFilterTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static String appPage;
  private static String update;
  private static String largePage;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db, 30, 600, 7);
    String slug =
        CatalogDatabases.replica(db)
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT a.slug FROM catalog.app a WHERE a.status = 'public'"
                                + " ORDER BY (SELECT count(*) FROM catalog.review r"
                                + " WHERE r.app_id = a.id) DESC, a.slug LIMIT 1")
                        .mapTo(String.class)
                        .one());
    // A page larger than Jersey's 8 KiB content-length buffer, which Jersey sends chunked.
    String large =
        CatalogDatabases.primary(db)
            .withHandle(
                h ->
                    h.createQuery(
                            "UPDATE catalog.app SET description = repeat('long text ', 1990)"
                                + " WHERE id = (SELECT min(id) FROM catalog.app WHERE status ="
                                + " 'public' AND slug <> :slug) RETURNING slug")
                        .bind("slug", slug)
                        .mapTo(String.class)
                        .one());
    db.awaitReplicaCaughtUp();
    largePage = "api/v1/apps/" + large;
    appPage = "api/v1/apps/" + slug;
    update = "api/v1/update?id=" + slug + "&version=0.0.1&appVersion=999.0";
    catalog = RunningCatalog.start(db, null, Files.createTempDirectory("blocklist-"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @BeforeEach
  void clearCaches() {
    assertThat(catalog.admin().post("tasks/cache-clear", "").status()).isEqualTo(200);
  }

  @Test
  void appPage_cacheHit_sameAnswerAsJerseyOnTheMiss() {
    Reply jersey = byJersey(() -> http.get(appPage));
    Reply filter = byFilter(() -> http.get(appPage));

    assertThat(jersey.status()).isEqualTo(200);
    assertThat(jersey.body().length()).isGreaterThan(1000);
    assertSameAnswer(filter, jersey);
    assertThat(filter.header("Vary")).contains("Authorization");
  }

  @Test
  void appPage_largerThanJerseyBuffer_sameAnswerAsJerseyOnTheMiss() {
    Reply jersey = byJersey(() -> http.get(largePage));
    Reply filter = byFilter(() -> http.get(largePage));

    assertThat(jersey.body().length()).isGreaterThan(19_000);
    assertSameAnswer(filter, jersey);
  }

  @Test
  void update_cacheHit_sameAnswerAsJerseyOnTheMiss() {
    Reply jersey = byJersey(() -> http.get(update));
    Reply filter = byFilter(() -> http.get(update));

    assertThat(jersey.status()).isEqualTo(200);
    assertThat(jersey.body()).contains("update_hash");
    assertSameAnswer(filter, jersey);
  }

  @Test
  void appPage_ifNoneMatchCurrentTag_same304AsJersey() {
    String etag = http.get(appPage).header("ETag").orElseThrow();
    // Two tags: not a plain conditional request, so Jersey answers it.
    Reply jersey = byJersey(() -> http.get(appPage, "If-None-Match", "\"old\", " + etag));
    Reply filter = byFilter(() -> http.get(appPage, "If-None-Match", etag));

    assertThat(jersey.status()).isEqualTo(304);
    assertSameAnswer(filter, jersey);
  }

  @Test
  void update_ifNoneMatchCurrentTag_same304AsJersey() {
    String etag = http.get(update).header("ETag").orElseThrow();
    Reply jersey = byJersey(() -> http.get(update, "If-None-Match", "\"old\", " + etag));
    Reply filter = byFilter(() -> http.get(update, "If-None-Match", etag));

    assertThat(jersey.status()).isEqualTo(304);
    assertSameAnswer(filter, jersey);
  }

  @Test
  void appPage_ifNoneMatchOldTag_same200AsJersey() {
    http.get(appPage);
    Reply jersey = byJersey(() -> http.get(appPage, "If-None-Match", "\"old\", \"older\""));
    Reply filter = byFilter(() -> http.get(appPage, "If-None-Match", "\"old\""));

    assertThat(jersey.status()).isEqualTo(200);
    assertSameAnswer(filter, jersey);
  }

  @Test
  void cachedAnswer_requestsItCannotAnswerExactly_leftToJersey() {
    http.get(appPage);
    http.get(update);

    byJersey(() -> http.get(appPage, "Authorization", "Bearer not-a-token"));
    assertThat(byJersey(() -> http.get(appPage, "Accept", "text/html")).status()).isEqualTo(406);
    assertThat(byJersey(() -> http.get(appPage, "If-Match", "\"old\"")).status()).isEqualTo(412);
    assertThat(byJersey(() -> http.get(appPage + "?x=1")).status()).isEqualTo(200);
    assertThat(byJersey(() -> head(appPage)).status()).isEqualTo(200);
    assertThat(
            byJersey(() -> http.get(update.replace("version=0.0.1", "version=0%2E0.1"))).status())
        .isEqualTo(200);
    assertThat(byJersey(() -> http.get(update + "&id=other")).status()).isEqualTo(200);
    assertThat(byJersey(() -> http.get("api/v1/apps/no-such-app")).status()).isEqualTo(404);
    assertThat(byJersey(() -> http.get("api/v1/apps/no-such-app")).status()).isEqualTo(404);
  }

  private static Reply head(String path) {
    return http.send(
        HttpRequest.newBuilder(http.base().resolve(URI.create(path)))
            .timeout(Duration.ofSeconds(30))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static Reply byJersey(java.util.function.Supplier<Reply> request) {
    long before = answeredByFilter();
    Reply reply = request.get();
    assertThat(answeredByFilter()).as("answered by the filter").isEqualTo(before);
    return reply;
  }

  private static Reply byFilter(java.util.function.Supplier<Reply> request) {
    long before = answeredByFilter();
    Reply reply = request.get();
    assertThat(answeredByFilter()).as("answered by the filter").isEqualTo(before + 1);
    return reply;
  }

  private static long answeredByFilter() {
    return catalog.metrics().meter("cached_reads.app_page").getCount()
        + catalog.metrics().meter("cached_reads.update").getCount();
  }

  private static void assertSameAnswer(Reply actual, Reply expected) {
    assertThat(actual.status()).isEqualTo(expected.status());
    assertThat(actual.body()).isEqualTo(expected.body());
    assertThat(headersThatMatter(actual)).isEqualTo(headersThatMatter(expected));
    assertThat(actual.header("X-Request-Id")).isPresent();
  }

  /** Every header but those that differ between any two answers. */
  private static Map<String, List<String>> headersThatMatter(Reply reply) {
    Map<String, List<String>> headers = new TreeMap<>(reply.response().headers().map());
    headers.remove("date");
    headers.remove("x-request-id");
    return headers;
  }
}
