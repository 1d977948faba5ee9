package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

/**
 * The catalog's databases stopped or behind (F4, F6, F15, F16, F27). Browsing, app pages, update
 * checks and developer statistics read the replica; reviews are written on the primary.
 */
class CatalogDatabaseDrills {

  @Drill(
      row = "F4",
      fault = "primary-stop + replica-stop",
      expected = "cached page served (same ETag); uncached 503 DATABASE_UNAVAILABLE, no trace")
  void appDatabaseDown_cachedPagesServeUncached503(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String cached = "/api/v1/apps/" + catalog.randomApp();
    String uncached = "/api/v1/apps/" + catalog.randomApp();
    StackHttp.Reply before = catalog.get(cached);
    assertThat(before.status()).isEqualTo(200);
    assertThat(catalog.get("/api/v1/categories").status()).isEqualTo(200);

    stack.fault("replica-stop", true);
    stack.fault("primary-stop", true);
    StackHttp.Reply served = catalog.get(cached);
    StackHttp.Reply cold = catalog.get(uncached);
    int heartbeat = stack.https().get(stack.url("CATALOG_ADMIN_URL", "/__heartbeat__")).status();
    report.observed(
        "cached page "
            + served.status()
            + ", categories "
            + catalog.get("/api/v1/categories").status()
            + ", uncached "
            + cold.abbreviated()
            + ", heartbeat "
            + heartbeat);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.header("ETag")).isEqualTo(before.header("ETag"));
    assertThat(served.body()).isEqualTo(before.body());
    assertThat(catalog.get("/api/v1/categories").status()).isEqualTo(200);
    assertThat(cold.status()).isEqualTo(503);
    assertThat(cold.header("Retry-After")).isNotNull();
    assertThat(cold.json().path("reason").asText()).isEqualTo("DATABASE_UNAVAILABLE");
    assertThat(cold.body()).doesNotContain("Exception").doesNotContain("at org.");
    assertThat(heartbeat).isEqualTo(503);

    stack.fault("primary-stop", false);
    stack.fault("replica-stop", false);
    report.awaitRecovery(Duration.ofSeconds(60), () -> catalog.get(uncached).status() == 200);
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F27",
      fault = "replica-stop (developer data)",
      expected = "developer stats 503 + Retry-After; cached store pages 200")
  void developerDatabaseDown_stats503StoreServes(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String developer =
        stack
            .primary()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT d.slug FROM catalog.developer d WHERE EXISTS (SELECT 1 FROM"
                                + " catalog.app a WHERE a.developer_id = d.id) ORDER BY random()"
                                + " LIMIT 1")
                        .mapTo(String.class)
                        .one());
    String stats = "/api/v1/developers/" + developer + "/stats";
    String app = "/api/v1/apps/" + catalog.randomApp();
    assertThat(catalog.getAs(developer, stats).status()).isEqualTo(200);
    assertThat(catalog.get(app).status()).isEqualTo(200);
    assertThat(catalog.get("/api/v1/home").status()).isEqualTo(200);

    stack.fault("replica-stop", true);
    StackHttp.Reply down = catalog.getAs(developer, stats);
    StackHttp.Reply page = catalog.get(app);
    StackHttp.Reply home = catalog.get("/api/v1/home");
    report.observed(
        "developer stats "
            + down.abbreviated()
            + "; cached app page "
            + page.status()
            + ", home "
            + home.status());
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.header("Retry-After")).isNotNull();
    assertThat(down.body()).doesNotContain("Exception");
    assertThat(page.status()).isEqualTo(200);
    assertThat(home.status()).isEqualTo(200);

    stack.fault("replica-stop", false);
    report.awaitRecovery(
        Duration.ofSeconds(60), () -> catalog.getAs(developer, stats).status() == 200);
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F15",
      fault = "replica-stop (version data)",
      expected = "update check 200 no update, max-age=60; update_check_degraded counted")
  void versionDatabaseDown_noUpdateShortCacheCounted(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String app = catalog.randomAppWithVersions();
    String check = "/api/v1/update?id=" + app + "&version=0.0.1&appVersion=999";
    double degraded = catalog.metric("update_check_degraded_total");

    stack.fault("replica-stop", true);
    StackHttp.Reply reply = catalog.get(check);
    report.observed("update check " + reply.abbreviated() + ", " + reply.header("Cache-Control"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("addons").path(app).path("updates").isArray()).isTrue();
    assertThat(reply.json().path("addons").path(app).path("updates")).isEmpty();
    assertThat(reply.header("Cache-Control")).contains("max-age=60");
    assertThat(catalog.metric("update_check_degraded_total") - degraded).isEqualTo(1);

    stack.fault("replica-stop", false);
    report.awaitRecovery(
        Duration.ofSeconds(60),
        () -> !catalog.get(check).json().path("addons").path(app).path("updates").isEmpty());
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F16",
      fault = "replica-pause + new version on the primary",
      expected = "older version until caught up; replica lag gauge grows")
  void versionReplicaBehind_olderAnswerAndLagMetric(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String app = catalog.randomAppWithVersions();
    String check = "/api/v1/update?id=" + app + "&version=0.0.1&appVersion=999";
    awaitReplayedSinceStart(stack);
    stack.fault("replica-pause", true);
    try {
      stack
          .primary()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO catalog.app_version (app_id, version, released_at,"
                          + " package_url, package_sha256, min_platform_version) SELECT id,"
                          + " '999.0', now(), 'https://packages.example/drill-f16.zip',"
                          + " repeat('d', 64), '1.0' FROM catalog.app WHERE slug = ?",
                      app));
      // The lag gauge is the replica's replay delay, sampled by the catalog every few seconds.
      Await.until(
          Duration.ofSeconds(20),
          () -> catalog.metric("database_replica_lag_seconds") > 0,
          "the replica lag gauge rising");
      StackHttp.Reply behind = catalog.get(check);
      String answered = firstUpdate(behind, app);
      report.observed(
          "update check while behind: "
              + answered
              + " (999.0 on the primary only), lag gauge "
              + catalog.metric("database_replica_lag_seconds")
              + " s");
      assertThat(behind.status()).isEqualTo(200);
      assertThat(answered).isNotNull().isNotEqualTo("999.0");

      stack.fault("replica-pause", false);
      // Recovery: the replica has the version and the lag gauge is back to 0 (the cached older
      // answer is refreshed within the cache's freshness, 60 s, as designed).
      report.awaitRecovery(
          Duration.ofSeconds(30),
          () ->
              catalog.metric("database_replica_lag_seconds") < 1
                  && stack
                          .replica()
                          .withHandle(
                              h ->
                                  h.createQuery(
                                          "SELECT count(*) FROM catalog.app_version WHERE"
                                              + " package_url = 'https://packages.example/drill-f16.zip'")
                                      .mapTo(Integer.class)
                                      .one())
                      > 0);
    } finally {
      stack.fault("replica-pause", false);
      stack
          .primary()
          .useHandle(
              h ->
                  h.execute(
                      "DELETE FROM catalog.app_version WHERE package_url ="
                          + " 'https://packages.example/drill-f16.zip'"));
    }
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F6",
      fault = "replica-pause + a review posted",
      expected = "author sees own review at once (private); others once replicated")
  void reviewWhileReplicaBehind_authorSeesItOthersLater(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String slug = catalog.randomApp();
    String page = "/api/v1/apps/" + slug;
    String author = "drill-f6-" + System.nanoTime();
    catalog.token(author);
    assertThat(catalog.get(page).status()).isEqualTo(200);

    stack.fault("replica-pause", true);
    StackHttp.Reply posted = catalog.postReview(author, slug, 4, "read your writes");
    assertThat(posted.status()).as(posted.abbreviated()).isEqualTo(201);
    long id = posted.json().path("id").asLong();
    StackHttp.Reply own = catalog.getAs(author, page);
    StackHttp.Reply anyone = catalog.get(page);
    report.observed(
        "review posted "
            + posted.status()
            + "; author sees it: "
            + Catalog.reviewIds(own).contains(id)
            + " ("
            + own.header("Cache-Control")
            + "), others: "
            + Catalog.reviewIds(anyone).contains(id));
    assertThat(Catalog.reviewIds(own)).contains(id);
    assertThat(own.header("Cache-Control")).contains("private");
    assertThat(Catalog.reviewIds(anyone)).doesNotContain(id);

    stack.fault("replica-pause", false);
    // Others see it once the replica has it: measured on the replica. The shared page cached
    // meanwhile is refreshed within the cache's freshness (60 s); cache-clear shows the page the
    // database gives now instead of waiting for that.
    report.awaitRecovery(
        Duration.ofSeconds(30),
        () ->
            stack
                    .replica()
                    .withHandle(
                        h ->
                            h.createQuery("SELECT count(*) FROM catalog.review WHERE id = :id")
                                .bind("id", id)
                                .mapTo(Integer.class)
                                .one())
                > 0);
    stack.fault("cache-clear", true);
    stack.fault("cache-clear", false);
    StackHttp.Reply after = catalog.get(page);
    report.observed(
        "others after catch-up (cache cleared): " + Catalog.reviewIds(after).contains(id));
    assertThat(Catalog.reviewIds(after)).contains(id);
    new Invariants(stack).check(report);
  }

  /**
   * Waits until the replica has replayed a transaction since it (re)started: until then it cannot
   * say how old its data is, and the catalog's lag gauge reads -1 (not measurable).
   */
  private static void awaitReplayedSinceStart(DrillStack stack) throws InterruptedException {
    stack.primary().useHandle(h -> h.execute("SELECT txid_current()"));
    Await.until(
        Duration.ofSeconds(30),
        () ->
            stack
                .replica()
                .withHandle(
                    h ->
                        h.createQuery("SELECT pg_last_xact_replay_timestamp() IS NOT NULL")
                            .mapTo(Boolean.class)
                            .one()),
        "the replica replaying a transaction");
  }

  private static String firstUpdate(StackHttp.Reply reply, String app) {
    List<String> versions =
        reply.json().path("addons").path(app).path("updates").findValuesAsText("version");
    return versions.isEmpty() ? null : versions.get(0);
  }
}
