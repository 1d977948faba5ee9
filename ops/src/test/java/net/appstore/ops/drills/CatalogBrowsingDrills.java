package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Browsing and search under cold caches, load and a broken search (F1, F2, F3, F24, F25). A cold
 * key is an app or query no request has asked for yet: the same thing for the catalog as a cleared
 * cache, shown by its load counters.
 */
class CatalogBrowsingDrills {

  private static final String PAGE_LOADS = "cache_app_pages_loads_total";

  /**
   * Concurrent requests for one cold page: enough to pile up on one load, few enough to connect.
   */
  private static final int BURST = 50;

  @Drill(
      row = "F1",
      fault = "no HTTP cache in front (origin, cold key)",
      expected = "origin 200 with Cache-Control + ETag; conditional GET 304")
  void noHttpCacheInFront_originServesCacheableAnswersAnd304(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String app = "/api/v1/apps/" + catalog.randomApp();
    double loads = catalog.metric(PAGE_LOADS);

    StackHttp.Reply first = catalog.get(app);
    report.observed("cold app page " + first.status() + ", " + first.header("Cache-Control"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(catalog.metric(PAGE_LOADS) - loads).as("one load from the database").isEqualTo(1);
    assertCacheable(first);
    assertThat(first.header("Vary")).contains("Authorization");

    for (String path :
        List.of(
            app,
            "/api/v1/categories",
            "/api/v1/apps?sort=new&page=2",
            "/api/v1/search?q=" + word())) {
      StackHttp.Reply fresh = catalog.get(path);
      assertThat(fresh.status()).as(path).isEqualTo(200);
      assertCacheable(fresh);
      StackHttp.Reply conditional = catalog.get(path, "If-None-Match", fresh.header("ETag"));
      assertThat(conditional.status()).as("conditional GET " + path).isEqualTo(304);
      assertThat(conditional.body()).isEmpty();
    }
    report.observed("If-None-Match on page, categories, listing, search: 304 each");

    // Recovery of a cache in front = it can revalidate against the origin again at once.
    report.awaitRecovery(
        Duration.ofSeconds(10),
        () -> catalog.get(app, "If-None-Match", first.header("ETag")).status() == 304);
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F2",
      fault = "cold page under a burst + database slow (table lock)",
      expected = "one DB load for 50 concurrent requests; excess 503 + Retry-After, never 500")
  void coldKeyUnderBurst_oneLoadBoundedConcurrencyExcess503(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String hot = "/api/v1/apps/" + catalog.randomApp();
    catalog.warmUp(BURST);
    double loads = catalog.metric(PAGE_LOADS);

    List<StackHttp.Reply> burst;
    try (Catalog.SlowApps slow = catalog.slowApps()) {
      burst =
          catalog.getAll(
              Collections.nCopies(BURST, hot), () -> awaitActiveRequests(catalog, BURST, slow));
    }
    long ok = burst.stream().filter(r -> r.status() == 200).count();
    long etags = burst.stream().map(r -> r.header("ETag")).distinct().count();
    double burstLoads = catalog.metric(PAGE_LOADS) - loads;
    report.observed(
        ok + "/" + BURST + " concurrent requests for one cold page 200, " + burstLoads + " load");
    assertThat(burst).allSatisfy(r -> assertThat(r.status()).as(r.abbreviated()).isEqualTo(200));
    assertThat(etags).isEqualTo(1);
    assertThat(burstLoads).as("requests for one key coalesce into one load").isEqualTo(1);

    // Many different cold pages while the database is slow: the bulkhead (16) holds the rest off.
    List<String> cold = new ArrayList<>();
    String[] sorts = {"popular", "new", "rating"};
    for (int i = 0; i < 40; i++) {
      int page = 101 + i * 9 + (int) (Math.random() * 9);
      cold.add("/api/v1/apps?sort=" + sorts[i % 3] + "&page=" + page);
    }
    Shedding shedding = new Shedding(catalog, "replica_db", 20);
    List<StackHttp.Reply> many;
    try (Catalog.SlowApps slow = catalog.slowApps()) {
      many = catalog.getAll(cold, () -> shedding.holdThenRelease(slow));
    }
    long shed = many.stream().filter(r -> r.status() == 503).count();
    report.observed(
        "40 cold listings while slow: at most "
            + shedding.maxInUse
            + " on the database, "
            + (many.size() - shed)
            + " served, "
            + shed
            + " 503 + Retry-After");
    assertThat(many)
        .allSatisfy(
            r -> {
              assertThat(r.status()).as(r.abbreviated()).isIn(200, 503);
              if (r.status() == 503) {
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(r.json().path("reason").asText()).isEqualTo("DATABASE_UNAVAILABLE");
              }
            });
    assertThat(shedding.maxInUse).as("database work bounded by the bulkhead").isBetween(1.0, 16.0);
    assertThat(shed).as("excess beyond the bulkhead turned away").isPositive();
    assertThat(catalog.metric("bulkhead_replica_db_rejected") - shedding.rejectedBefore)
        .isGreaterThanOrEqualTo(shed);

    report.awaitRecovery(
        Duration.ofSeconds(20), () -> catalog.get(cold.get(cold.size() - 1)).status() == 200);
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F3",
      fault = "search-down",
      expected = "search 503 SEARCH_UNAVAILABLE + Retry-After; pages 200")
  void searchDown_search503BrowsingRenders(DrillStack stack, DrillReport report) throws Exception {
    Catalog catalog = new Catalog(stack);
    String app = "/api/v1/apps/" + catalog.randomApp();
    stack.fault("search-down", true);

    StackHttp.Reply search = catalog.get("/api/v1/search?q=" + word());
    report.observed("search " + search.abbreviated());
    assertThat(search.status()).isEqualTo(503);
    assertThat(search.json().path("reason").asText()).isEqualTo("SEARCH_UNAVAILABLE");
    assertThat(search.header("Retry-After")).isNotNull();
    for (String page :
        List.of("/api/v1/home", "/api/v1/categories", "/api/v1/apps?sort=new&page=3", app)) {
      StackHttp.Reply reply = catalog.get(page);
      assertThat(reply.status()).as(page + ": " + reply.abbreviated()).isEqualTo(200);
    }
    report.observed("home, categories, listing, cold app page: 200");

    stack.fault("search-down", false);
    report.awaitRecovery(
        Duration.ofSeconds(20), () -> catalog.get("/api/v1/search?q=" + word()).status() == 200);
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F24",
      fault = "an app's text changed (no search feed to lag)",
      expected = "searchable in the writing transaction; via the API once replicated")
  void appChanged_searchableAtOnceNoFeed(DrillStack stack, DrillReport report) throws Exception {
    Catalog catalog = new Catalog(stack);
    String slug = catalog.randomApp();
    String word = word();
    String summary =
        stack
            .primary()
            .withHandle(
                h ->
                    h.createQuery("SELECT summary FROM catalog.app WHERE slug = :s")
                        .bind("s", slug)
                        .mapTo(String.class)
                        .one());
    try {
      boolean sameTransaction =
          stack
              .primary()
              .inTransaction(
                  h -> {
                    h.createUpdate("UPDATE catalog.app SET summary = :t WHERE slug = :s")
                        .bind("t", summary + " " + word)
                        .bind("s", slug)
                        .execute();
                    return h.createQuery(
                                "SELECT count(*) FROM catalog.app"
                                    + " WHERE search @@ websearch_to_tsquery('english', :w)"
                                    + " AND slug = :s")
                            .bind("w", word)
                            .bind("s", slug)
                            .mapTo(Integer.class)
                            .one()
                        == 1;
                  });
      report.observed(
          "index holds the new word inside the writing transaction: " + sameTransaction);
      assertThat(sameTransaction).isTrue();

      // Search answers from the replica and caches each query's results for `cache.freshFor`:
      // asked before the replica has replayed the write, a query would be answered (and cached)
      // without the app. So: wait for replication, then the very first search must find it.
      String written =
          stack
              .primary()
              .withHandle(
                  h ->
                      h.createQuery("SELECT pg_current_wal_lsn()::text").mapTo(String.class).one());
      Duration replicated =
          Await.until(
              Duration.ofSeconds(20),
              () ->
                  stack
                      .replica()
                      .withHandle(
                          h ->
                              h.createQuery(
                                      "SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)")
                                  .bind("lsn", written)
                                  .mapTo(Boolean.class)
                                  .one()),
              "the replica replays the write");
      StackHttp.Reply search = catalog.get("/api/v1/search?q=" + word);
      boolean found =
          search.status() == 200
              && search.json().path("results").findValuesAsText("slug").contains(slug);
      report.observed(
          "replicated after "
              + Await.seconds(replicated)
              + "; first search after it: "
              + (found ? "found" : search.abbreviated()));
      assertThat(found).as("the first search once replicated finds the app").isTrue();
    } finally {
      stack
          .primary()
          .useHandle(
              h ->
                  h.createUpdate("UPDATE catalog.app SET summary = :t WHERE slug = :s")
                      .bind("t", summary)
                      .bind("s", slug)
                      .execute());
    }
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F25",
      fault = "no cached search results (cold queries) + database slow",
      expected = "search from the DB under the bulkhead (4); excess 503 SEARCH_UNAVAILABLE")
  void searchWithoutCache_servedFromDatabaseUnderBulkhead(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    double loads = catalog.metric("cache_search_loads_total");
    StackHttp.Reply cold = catalog.get("/api/v1/search?q=notes+" + word());
    report.observed("cold query " + cold.status() + " loaded from the DB");
    assertThat(cold.status()).isEqualTo(200);
    assertThat(catalog.metric("cache_search_loads_total") - loads).isEqualTo(1);

    catalog.warmUp(12);
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queries.add("/api/v1/search?q=" + word());
    }
    Shedding shedding = new Shedding(catalog, "search_db", 8);
    List<StackHttp.Reply> answers;
    try (Catalog.SlowApps slow = catalog.slowApps()) {
      answers = catalog.getAll(queries, () -> shedding.holdThenRelease(slow));
    }
    long served = answers.stream().filter(r -> r.status() == 200).count();
    long shed = answers.stream().filter(r -> r.status() == 503).count();
    report.observed(
        "12 cold searches while slow: at most "
            + shedding.maxInUse
            + " on the database, "
            + served
            + " served, "
            + shed
            + " 503 SEARCH_UNAVAILABLE");
    assertThat(answers)
        .allSatisfy(
            r -> {
              assertThat(r.status()).as(r.abbreviated()).isIn(200, 503);
              if (r.status() == 503) {
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(r.json().path("reason").asText()).isEqualTo("SEARCH_UNAVAILABLE");
              }
            });
    assertThat(shedding.maxInUse).as("search bulkhead of 4").isBetween(1.0, 4.0);
    assertThat(shed).as("searches beyond the bulkhead turned away").isPositive();
    assertThat(catalog.metric("bulkhead_search_db_rejected") - shedding.rejectedBefore)
        .isGreaterThanOrEqualTo(shed);

    report.awaitRecovery(
        Duration.ofSeconds(20), () -> catalog.get(queries.get(queries.size() - 1)).status() == 200);
    new Invariants(stack).check(report);
  }

  /** What lets any CDN or reverse proxy cache and revalidate the answer. */
  private static void assertCacheable(StackHttp.Reply reply) {
    assertThat(reply.header("Cache-Control")).contains("public").contains("max-age=");
    assertThat(reply.header("ETag")).isNotBlank();
  }

  /**
   * Watches a bulkhead while the database is slow: holds the lock until {@code target} requests
   * were turned away (at most 2.5 s, below the catalog's 3 s statement timeout), noting the most
   * requests it ever let through to the database at once.
   */
  private static final class Shedding {
    private final Catalog catalog;
    private final String bulkhead;
    private final int target;
    final double rejectedBefore;
    double maxInUse;

    Shedding(Catalog catalog, String bulkhead, int target) throws Exception {
      this.catalog = catalog;
      this.bulkhead = bulkhead;
      this.target = target;
      this.rejectedBefore = catalog.metric("bulkhead_" + bulkhead + "_rejected");
    }

    void holdThenRelease(Catalog.SlowApps slow) {
      try {
        Await.until(
            Duration.ofMillis(2500),
            () -> {
              maxInUse = Math.max(maxInUse, catalog.metric("bulkhead_" + bulkhead + "_in_use"));
              return catalog.metric("bulkhead_" + bulkhead + "_rejected") - rejectedBefore
                  >= target;
            },
            target + " requests turned away");
      } catch (Exception | AssertionError e) {
        // Fewer arrived in time on a loaded machine; the answers are asserted either way.
      }
      slow.close();
    }
  }

  /** Holds the lock until {@code count} requests are in the catalog (at most 2 s). */
  private static void awaitActiveRequests(Catalog catalog, int count, Catalog.SlowApps slow) {
    try {
      Await.until(
          Duration.ofSeconds(2),
          () ->
              catalog.metric("io_dropwizard_jetty_MutableServletContextHandler_active_requests")
                  >= count,
          count + " requests in flight");
    } catch (Exception | AssertionError e) {
      // The answers are asserted; the lock must go either way.
    }
    slow.close();
  }

  /** A word no app contains, so the query is one no cache has seen. */
  static String word() {
    String letters = UUID.randomUUID().toString().replaceAll("[^a-f]", "");
    return ("zq" + letters + "xyzwvu").substring(0, 10).toLowerCase(Locale.ROOT);
  }
}
