package net.appstore.catalog.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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

/** Browsing over real HTTPS against a seeded primary + replica: shapes, paging, caching headers. */
@PostgresTest
class BrowsingTest {

  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static Jdbi primary;

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    CatalogDatabases.migrateAndSeed(db);
    primary = CatalogDatabases.primary(db);
    catalog = RunningCatalog.start(db, null, Files.createTempDirectory("blocklist-"));
    http = catalog.client();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void categories_seededCatalog_listsAllWithPublicAppCounts() {
    Reply reply = http.get("api/v1/categories");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode categories = reply.json().get("categories");
    assertThat(categories).hasSize(20);
    assertThat(categories.get(0).get("slug").asText()).isEqualTo("games");
    long total = 0;
    for (JsonNode c : categories) {
      total += c.get("app_count").asLong();
    }
    long publicAppCategoryLinks =
        primary.withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM catalog.app_category ac JOIN catalog.app a"
                            + " ON a.id = ac.app_id WHERE a.status = 'public'")
                    .mapTo(Long.class)
                    .one());
    assertThat(total).isEqualTo(publicAppCategoryLinks);
  }

  @Test
  void listing_popularInCategory_itemsHaveSlugNamePriceAndAreOrderedByDownloads() {
    Reply reply = http.get("api/v1/apps?category=games&sort=popular&page=1");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode listing = reply.json();
    assertThat(listing.get("category").asText()).isEqualTo("games");
    assertThat(listing.get("page_size").asInt()).isEqualTo(20);
    JsonNode items = listing.get("items");
    assertThat(items).isNotEmpty();
    for (JsonNode item : items) {
      assertThat(item.has("slug")).isTrue();
      assertThat(item.has("name")).isTrue();
      assertThat(item.has("price")).isTrue();
    }
    List<Long> downloads = new ArrayList<>();
    for (JsonNode item : items) {
      downloads.add(
          primary.withHandle(
              h ->
                  h.createQuery("SELECT weekly_downloads FROM catalog.app WHERE slug = :s")
                      .bind("s", item.get("slug").asText())
                      .mapTo(Long.class)
                      .one()));
    }
    assertThat(downloads).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void listing_pagesWithoutCategory_coverEveryPublicAppOnce() {
    long total = http.get("api/v1/apps?sort=new").json().get("total").asLong();
    List<String> slugs = new ArrayList<>();
    for (int page = 1; page <= (total + 19) / 20; page++) {
      http.get("api/v1/apps?sort=new&page=" + page)
          .json()
          .get("items")
          .forEach(i -> slugs.add(i.get("slug").asText()));
    }

    assertThat(slugs).hasSize((int) total).doesNotHaveDuplicates();
  }

  @Test
  void listing_unknownCategory_404() {
    assertThat(http.get("api/v1/apps?category=no-such-category").status()).isEqualTo(404);
  }

  @Test
  void listing_badSortOrPage_400() {
    assertThat(http.get("api/v1/apps?sort=cheapest").status()).isEqualTo(400);
    assertThat(http.get("api/v1/apps?page=0").status()).isEqualTo(400);
    assertThat(http.get("api/v1/apps?page=abc").status()).isEqualTo(400);
    assertThat(http.get("api/v1/apps?page=501").status()).isEqualTo(400);
  }

  @Test
  void appPage_publicApp_hasDetailsRatingSummaryAndRecentReviews() {
    String slug = mostReviewedSlug();

    Reply reply = http.get("api/v1/apps/" + slug);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode page = reply.json();
    assertThat(page.get("slug").asText()).isEqualTo(slug);
    assertThat(page.get("developer").get("slug").asText()).isNotEmpty();
    assertThat(page.get("categories")).isNotEmpty();
    assertThat(page.get("origin_url").asText()).startsWith("https://");
    assertThat(page.get("current_version").get("version").asText()).isNotEmpty();
    assertThat(page.get("rating").get("count").asInt()).isPositive();
    assertThat(page.get("rating").get("histogram").size()).isEqualTo(5);
    assertThat(page.get("reviews").size()).isBetween(1, 10);
    assertThat(page.get("reviews").get(0).has("author_sub")).isFalse();
    assertThat(page.get("partial").asBoolean()).isFalse();
  }

  @Test
  void appPage_unknownOrNonPublicApp_404() {
    String pending =
        primary.withHandle(
            h ->
                h.createQuery("SELECT slug FROM catalog.app WHERE status <> 'public' LIMIT 1")
                    .mapTo(String.class)
                    .one());

    assertThat(http.get("api/v1/apps/no-such-app").status()).isEqualTo(404);
    assertThat(http.get("api/v1/apps/" + pending).status()).isEqualTo(404);
    assertThat(http.get("api/v1/apps/NOT_A_SLUG").status()).isEqualTo(404);
  }

  @Test
  void F1_appPage_conditionalGetWithEtag_304WithoutBody() {
    String slug = mostReviewedSlug();
    Reply first = http.get("api/v1/apps/" + slug);
    String etag = first.header("ETag").orElseThrow();

    Reply again = http.get("api/v1/apps/" + slug, "If-None-Match", etag);

    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.header("ETag")).contains(etag);
    assertThat(first.header("Cache-Control").orElseThrow())
        .contains("public")
        .contains("max-age=60")
        .contains("stale-if-error=");
    assertThat(first.header("Vary").orElseThrow()).contains("Authorization");
  }

  @Test
  void F1_categories_etagStableAcrossRequests_otherEtag200() {
    Reply first = http.get("api/v1/categories");
    Reply second = http.get("api/v1/categories");

    assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(http.get("api/v1/categories", "If-None-Match", "\"something-else\"").status())
        .isEqualTo(200);
  }

  @Test
  void home_seededCatalog_hasFeaturedAndPopular() {
    JsonNode home = http.get("api/v1/home").json();

    assertThat(home.get("popular")).hasSize(12);
    assertThat(home.get("featured").size()).isLessThanOrEqualTo(12);
  }

  @Test
  void search_wordOfAnAppName_nameMatchesRankFirst() {
    String word =
        primary.withHandle(
            h ->
                h.createQuery(
                        "SELECT split_part(name, ' ', 2) FROM catalog.app WHERE status = 'public'"
                            + " ORDER BY weekly_downloads DESC LIMIT 1")
                    .mapTo(String.class)
                    .one());

    Reply reply = http.get("api/v1/search?q=" + word.toLowerCase(java.util.Locale.ROOT));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode results = reply.json().get("results");
    assertThat(results).isNotEmpty();
    assertThat(results.get(0).get("name").asText()).containsIgnoringCase(word);
    assertThat(results.get(0).has("slug")).isTrue();
  }

  @Test
  void search_newAppWritten_isFoundAtOnceInSameTransactionIndex() {
    long developer =
        primary.withHandle(
            h -> h.createQuery("SELECT min(id) FROM catalog.developer").mapTo(Long.class).one());
    primary.useHandle(
        h ->
            h.execute(
                "INSERT INTO catalog.app (slug, name, summary, developer_id, origin_url, status)"
                    + " VALUES ('zyxwords', 'Zyxwords Puzzler', 'A word game', ?,"
                    + " 'https://zyxwords.example', 'public')",
                developer));
    // The search document is part of the row: once the row is replicated, so is the index entry.
    awaitOnReplica("SELECT count(*) FROM catalog.app WHERE slug = 'zyxwords'");

    JsonNode results = http.get("api/v1/search?q=zyxwords").json().get("results");

    assertThat(results).hasSize(1);
    assertThat(results.get(0).get("slug").asText()).isEqualTo("zyxwords");
  }

  @Test
  void search_missingOrTooLongQuery_400() {
    assertThat(http.get("api/v1/search").status()).isEqualTo(400);
    assertThat(http.get("api/v1/search?q=" + "a".repeat(101)).status()).isEqualTo(400);
  }

  @Test
  void heartbeat_databasesUp_ok() {
    Reply reply = catalog.admin().get("__heartbeat__");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().get("checks").has("replica")).isTrue();
    assertThat(reply.json().get("checks").has("primary")).isTrue();
  }

  private static String mostReviewedSlug() {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT a.slug FROM catalog.app a JOIN catalog.app_rating r ON r.app_id = a.id"
                        + " WHERE a.status = 'public' ORDER BY r.count DESC, a.id LIMIT 1")
                .mapTo(String.class)
                .one());
  }

  private static void awaitOnReplica(String countQuery) {
    Jdbi replica = CatalogDatabases.replica(dbHolder);
    for (int i = 0; i < 300; i++) {
      if (replica.withHandle(h -> h.createQuery(countQuery).mapTo(Long.class).one()) > 0) {
        return;
      }
      sleep(50);
    }
    throw new AssertionError("row never reached the replica: " + countQuery);
  }

  private static PostgresTestDatabase dbHolder;

  @BeforeAll
  static void keep(PostgresTestDatabase db) {
    dbHolder = db;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
