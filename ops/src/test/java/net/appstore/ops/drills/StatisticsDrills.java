package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * F28: the developer statistics stop being compiled (their source, the replica, stops replaying):
 * the last statistics are shown with the time they are as of; and the receipts the signer issued
 * are reconciled with the store's purchases ({@code ops/receipt-audit}), which flags a mismatch.
 */
class StatisticsDrills {

  @Drill(
      row = "F28",
      fault = "replica-pause; a receipt row the signer never issued",
      expected = "last statistics with their as_of; receipt-audit flags the mismatch (exit 2)")
  void compilationStops_lastStatisticsWithAsOf_andReceiptMismatchFlagged(
      DrillStack stack, DrillReport report) throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    String app = store.paidApp(28);
    // The forged receipt row below copies a completed purchase's receipt: make one, so the drill
    // does not depend on drills that ran before it.
    Store.Purchase bought = store.buy("drill-f28", app);
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);
    DeveloperPage uris = new DeveloperPage(stack, developerOf(stack, app));
    String operator = "Bearer " + stack.operatorToken("drill-f28-ops");
    String reviewer = "Bearer " + stack.token("drill-f28-" + UUID.randomUUID());
    long reviewsBefore = uris.stats(operator).path("reviews").asLong();

    stack.fault("replica-pause", true);
    Instant posted = Instant.now();
    StackHttp.Reply review =
        stack
            .https()
            .post(
                stack.url("CATALOG_URL", "/api/v1/apps/" + app + "/reviews"),
                "{\"rating\": 4, \"body\": \"drill F28\"}",
                "Authorization",
                reviewer,
                "Content-Type",
                "application/json");
    assertThat(review.status()).as("review " + review.abbreviated()).isEqualTo(201);
    // Once the replica has received the review it cannot replay, the statistics say how old they
    // are instead of claiming to be current.
    Await.until(
        Duration.ofSeconds(20),
        () -> asOf(uris.stats(operator)).isBefore(posted),
        "statistics as of a time before the review");
    JsonNode behind = uris.stats(operator);
    report.observed(
        "stats while paused: 200, reviews "
            + behind.path("reviews").asLong()
            + " (was "
            + reviewsBefore
            + "), as_of "
            + Duration.between(asOf(behind), Instant.now()).toSeconds()
            + " s old");
    assertThat(behind.path("reviews").asLong()).isEqualTo(reviewsBefore);

    stack.fault("replica-pause", false);
    report.awaitRecovery(
        Duration.ofSeconds(30),
        () -> {
          JsonNode now = uris.stats(operator);
          return now.path("reviews").asLong() == reviewsBefore + 1 && asOf(now).isAfter(posted);
        });

    ProcessResult clean = audit(stack);
    assertThat(clean.exitCode()).as("receipt-audit:\n" + clean.tail(10)).isZero();
    String forged = "drill-f28-forged-" + UUID.randomUUID();
    copyReceiptAs(stack, forged);
    try {
      ProcessResult flagged = audit(stack);
      report.observed(
          "receipt-audit: exit " + clean.exitCode() + ", with a forged row: " + flagged.exitCode());
      assertThat(flagged.exitCode()).as("receipt-audit:\n" + flagged.tail(10)).isEqualTo(2);
      assertThat(flagged.output()).contains(forged).contains("never logged");
      assertThat(auditMetrics(stack)).contains("\nreceipt_audit_mismatches 1\n");
    } finally {
      deleteReceipt(stack, forged);
    }
    assertThat(audit(stack).exitCode()).isZero();
    assertThat(auditMetrics(stack)).contains("\nreceipt_audit_mismatches 0\n");
    invariants.check(report);
  }

  private static ProcessResult audit(DrillStack stack) {
    return stack.ops(
        Duration.ofSeconds(60),
        "ops/receipt-audit",
        "--grace",
        "0 seconds",
        "--metrics-file",
        auditMetricsFile(stack).toString());
  }

  /** What the last audit wrote for node_exporter's textfile collector (alerts read it). */
  private static String auditMetrics(DrillStack stack) throws IOException {
    return Files.readString(auditMetricsFile(stack));
  }

  private static Path auditMetricsFile(DrillStack stack) {
    return stack.stackDir().resolve("receipt_audit.prom");
  }

  private static Instant asOf(JsonNode stats) {
    return Instant.parse(stats.path("as_of").asText());
  }

  private static String developerOf(DrillStack stack, String app) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT d.slug FROM catalog.developer d JOIN catalog.app a"
                            + " ON a.developer_id = d.id WHERE a.slug = :app")
                    .bind("app", app)
                    .mapTo(String.class)
                    .one());
  }

  /** A receipt row the signer never issued: a completed purchase's receipt under a new jti. */
  private static void copyReceiptAs(DrillStack stack, String jti) {
    int rows =
        stack
            .primary()
            .withHandle(
                h ->
                    h.createUpdate(
                            "INSERT INTO store.purchase_receipts"
                                + " (jti, purchase_id, kid, receipt, issued_at, expires_at)"
                                + " SELECT :jti, r.purchase_id, r.kid, r.receipt, now(), r.expires_at"
                                + " FROM store.purchase_receipts r JOIN store.purchases p"
                                + " ON p.id = r.purchase_id WHERE p.status = 'COMPLETED' LIMIT 1")
                        .bind("jti", jti)
                        .execute());
    assertThat(rows).as("a completed purchase to copy a receipt from").isEqualTo(1);
  }

  private static void deleteReceipt(DrillStack stack, String jti) {
    stack
        .primary()
        .useHandle(
            h ->
                h.createUpdate("DELETE FROM store.purchase_receipts WHERE jti = :jti")
                    .bind("jti", jti)
                    .execute());
  }

  /** The developer's statistics page. */
  private record DeveloperPage(DrillStack stack, String developer) {
    JsonNode stats(String authorization) throws Exception {
      StackHttp.Reply reply =
          stack
              .https()
              .get(
                  stack.url("CATALOG_URL", "/api/v1/developers/" + developer + "/stats"),
                  "Authorization",
                  authorization);
      assertThat(reply.status()).as("stats " + reply.abbreviated()).isEqualTo(200);
      return reply.json();
    }
  }
}
