package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed blocklist when its generation fails or would publish something wrong (F17, F18). A
 * publication is what an operator runs: {@code ./ops/stack blocklist-publish} (the catalog's admin
 * task, the same run as its schedule), signed by the stack's signer; the catalog serves the {@code
 * current} version it finds on disk.
 */
class BlocklistDrills {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVED = "/blocklist/v1/blocklist.json";
  private static final Duration PUBLISH_LIMIT = Duration.ofMinutes(1);

  @Drill(
      row = "F17",
      fault = "blocklist-generation-fails",
      expected = "publish fails; last good signed file served; age gauge grows")
  void generationFails_lastGoodFileServed(DrillStack stack, DrillReport report) throws Exception {
    Catalog catalog = new Catalog(stack);
    StackHttp.Reply good = servedVersion(stack, catalog);
    long version = good.json().path("version").asLong();
    StackHttp.Reply goodJwt = catalog.get("/blocklist/v1/blocklist.jwt");

    double failures = catalog.metric("blocklist_publish_failed");
    stack.fault("blocklist-generation-fails", true);
    ProcessResult failed = publish(stack);
    StackHttp.Reply served = catalog.get(SERVED);
    StackHttp.Reply servedJwt = catalog.get("/blocklist/v1/blocklist.jwt");
    double age = catalog.metric("blocklist_age_seconds");
    report.observed(
        "publish exit "
            + failed.exitCode()
            + "; served version "
            + served.json().path("version").asLong()
            + " (last good "
            + version
            + "), age gauge "
            + age
            + " s");
    assertThat(failed.succeeded()).as(failed.tail(5)).isFalse();
    assertThat(failed.tail(5)).contains("\"published\":false").contains("\"error\"");
    assertThat(catalog.metric("blocklist_publish_failed")).isEqualTo(failures + 1);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.json().path("version").asLong()).isEqualTo(version);
    assertThat(servedJwt.status()).isEqualTo(200);
    assertThat(servedJwt.body()).isEqualTo(goodJwt.body());
    assertThat(age).as("staleness visible to the alert").isGreaterThanOrEqualTo(0);

    stack.fault("blocklist-generation-fails", false);
    report.awaitRecovery(
        PUBLISH_LIMIT,
        () ->
            publish(stack).succeeded()
                && catalog.get(SERVED).json().path("version").asLong() > version);
    report.observed(
        "age gauge after publication " + catalog.metric("blocklist_age_seconds") + " s");
    new Invariants(stack).check(report);
  }

  @Drill(
      row = "F18",
      fault = "operator deletes over half the entries",
      expected = "publication refused (drop > 10 %); last good file kept")
  void erroneousContent_publicationRefusedLastGoodKept(DrillStack stack, DrillReport report)
      throws Exception {
    Catalog catalog = new Catalog(stack);
    StackHttp.Reply good = servedVersion(stack, catalog);
    long version = good.json().path("version").asLong();
    String operator = "Bearer " + stack.operatorToken("drill-f18");
    JsonNode entries =
        stack
            .https()
            .get(stack.url("CATALOG_URL", "/api/v1/blocklist/entries"), "Authorization", operator)
            .json()
            .path("entries");
    assertThat(entries.size()).as("seeded blocklist entries").isGreaterThanOrEqualTo(2);

    double refusals = catalog.metric("blocklist_publish_refused");
    List<JsonNode> removed = new ArrayList<>();
    try {
      for (int i = 0; i < (entries.size() + 1) / 2; i++) {
        JsonNode entry = entries.get(i);
        StackHttp.Reply gone =
            stack
                .https()
                .delete(
                    stack.url("CATALOG_URL", "/api/v1/blocklist/entries/" + entry.path("id")),
                    "Authorization",
                    operator);
        assertThat(gone.status()).as(gone.abbreviated()).isIn(200, 204);
        removed.add(entry);
      }
      ProcessResult refused = publish(stack);
      StackHttp.Reply served = catalog.get(SERVED);
      report.observed(
          removed.size()
              + " of "
              + entries.size()
              + " entries deleted; publish exit "
              + refused.exitCode()
              + " ("
              + refused.lastLine()
              + "); served version "
              + served.json().path("version").asLong());
      assertThat(refused.succeeded()).isFalse();
      assertThat(refused.tail(5)).contains("would disappear");
      assertThat(catalog.metric("blocklist_publish_refused")).isEqualTo(refusals + 1);
      assertThat(served.json().path("version").asLong()).isEqualTo(version);
      assertThat(served.body()).isEqualTo(good.body());
    } finally {
      for (JsonNode entry : removed) {
        restore(stack, operator, entry);
      }
    }

    report.awaitRecovery(
        PUBLISH_LIMIT,
        () ->
            publish(stack).succeeded()
                && catalog.get(SERVED).json().path("version").asLong() > version);
    new Invariants(stack).check(report);
  }

  /** The served blocklist; publishes a first version if the stack has none yet. */
  private static StackHttp.Reply servedVersion(DrillStack stack, Catalog catalog) throws Exception {
    StackHttp.Reply served = catalog.get(SERVED);
    if (served.status() != 200) {
      ProcessResult first = publish(stack);
      assertThat(first.succeeded()).as("first publication: " + first.tail(10)).isTrue();
      Await.until(
          Duration.ofSeconds(10), () -> catalog.get(SERVED).status() == 200, "first version");
      served = catalog.get(SERVED);
    }
    return served;
  }

  private static ProcessResult publish(DrillStack stack) {
    return stack.ops(PUBLISH_LIMIT, "ops/stack", "blocklist-publish");
  }

  private static void restore(DrillStack stack, String operator, JsonNode entry) throws Exception {
    ObjectNode again = JSON.createObjectNode();
    for (String field : List.of("app", "min_version", "max_version", "severity", "reason")) {
      if (entry.hasNonNull(field)) {
        again.set(field, entry.get(field));
      }
    }
    StackHttp.Reply back =
        stack
            .https()
            .post(
                stack.url("CATALOG_URL", "/api/v1/blocklist/entries"),
                again.toString(),
                "Authorization",
                operator,
                "Content-Type",
                "application/json");
    assertThat(back.status()).as("restoring " + again + ": " + back.abbreviated()).isIn(200, 201);
  }
}
