package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The identity provider down (F26). */
class IdentityDrills {

  @Drill(
      row = "F26",
      fault = "idp-stop (+ catalog restarted during it)",
      expected = "browsing, updates, verification 200; review posting 503 IDENTITY_UNAVAILABLE")
  void identityProviderDown_browsingServesIdentityActions503(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    String user = "drill-f26-" + System.nanoTime();
    String token = catalog.token(user);
    String slug = catalog.randomAppWithVersions();
    Store.Purchase bought = store.buy("drill-f26", store.paidApp(26));
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);

    stack.fault("idp-stop", true);
    // The catalog still holds the IdP's keys: tokens issued before the outage keep working for
    // identity.outageTolerance (1 h); nobody can log in anew.
    StackHttp.Reply cachedKeys = catalog.postReviewWithToken(token, slug, 5, "during the outage");
    ProcessResult login = stack.ops(Duration.ofSeconds(60), "ops/stack", "token", "drill-f26-new");
    report.observed(
        "IdP down: login "
            + (login.succeeded() ? "ok" : "fails")
            + ", review with a token issued before "
            + cachedKeys.status());
    assertThat(login.succeeded()).isFalse();
    assertThat(cachedKeys.status()).as(cachedKeys.abbreviated()).isEqualTo(201);

    // A catalog (re)started during the outage has no keys to check tokens with.
    restartCatalog(stack);
    StackHttp.Reply post = catalog.postReviewWithToken(token, slug, 4, "after a restart");
    StackHttp.Reply page = catalog.get("/api/v1/apps/" + slug, "Authorization", "Bearer " + token);
    StackHttp.Reply update =
        catalog.get("/api/v1/update?id=" + slug + "&version=0.1&appVersion=99");
    String verdict = invariants.verify(bought.receipt());
    report.observed(
        "catalog restarted: review "
            + post.abbreviated()
            + "; app page "
            + page.status()
            + ", categories "
            + catalog.get("/api/v1/categories").status()
            + ", update "
            + update.status()
            + ", receipt verifies "
            + verdict);
    assertThat(post.status()).isEqualTo(503);
    assertThat(post.json().path("reason").asText()).isEqualTo("IDENTITY_UNAVAILABLE");
    assertThat(post.header("Retry-After")).isNotNull();
    assertThat(page.status()).isEqualTo(200);
    assertThat(catalog.get("/api/v1/categories").status()).isEqualTo(200);
    assertThat(update.status()).isEqualTo(200);
    assertThat(verdict).isEqualTo("ok");

    stack.fault("idp-stop", false);
    // The catalog refetches the keys on the next token (at most once per refreshRateLimit, 10 s).
    report.awaitRecovery(
        Duration.ofSeconds(60),
        () -> catalog.postReviewWithToken(token, slug, 3, "IdP back").status() == 201);
    invariants.check(report);
  }

  /** Stops the catalog's process; its supervisor starts it again, as an init system would. */
  private static void restartCatalog(DrillStack stack) throws Exception {
    Path childPid = stack.stackDir().resolve("run/catalog.child.pid");
    long pid = Long.parseLong(Files.readString(childPid).trim());
    ProcessHandle catalog =
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no catalog process " + pid));
    catalog.destroy();
    catalog.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    Await.until(
        Duration.ofSeconds(60),
        () -> !Files.readString(childPid).trim().equals(Long.toString(pid)),
        "the supervisor restarting the catalog");
    stack.awaitHealthy("CATALOG_ADMIN_URL", Duration.ofSeconds(120));
  }
}
