package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Part of an app page's data unreadable while the rest works (F5). */
class CatalogPartialDrills {

  @Drill(
      row = "F5",
      fault = "reviews-unavailable",
      expected = "app page 200 without reviews/rating, partial: true, max-age=10")
  void reviewsUnavailable_pageRendersMarkedPartial(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    String page = "/api/v1/apps/" + catalog.randomApp();
    double partialLoads = catalog.metric("app_pages_partial_loads_total");

    stack.fault("reviews-unavailable", true);
    StackHttp.Reply reply = catalog.get(page);
    JsonNode body = reply.json();
    report.observed(
        "app page "
            + reply.status()
            + " partial="
            + body.path("partial")
            + " unavailable="
            + body.path("unavailable")
            + ", "
            + reply.header("Cache-Control"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(body.path("name").asText()).isNotBlank();
    assertThat(body.path("current_version").isObject()).isTrue();
    assertThat(body.path("partial").asBoolean()).isTrue();
    assertThat(body.path("unavailable").toString()).contains("reviews").contains("rating");
    assertThat(body.path("reviews").isNull()).isTrue();
    assertThat(reply.header("Cache-Control")).contains("max-age=10");
    assertThat(catalog.metric("app_pages_partial_loads_total")).isGreaterThan(partialLoads);

    stack.fault("reviews-unavailable", false);
    // The partial page is reloaded after partialRetryAfter (5 s), not after the usual 60 s.
    report.awaitRecovery(
        Duration.ofSeconds(30),
        () -> {
          JsonNode again = catalog.get(page).json();
          return !again.path("partial").asBoolean() && again.path("reviews").isArray();
        });
    new Invariants(stack).check(report);
  }
}
