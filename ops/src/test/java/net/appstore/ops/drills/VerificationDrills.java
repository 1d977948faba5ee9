package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Receipt verification when what it depends on fails: purchase data corrupted on the primary (F9),
 * the key set unreachable (F10), the signer down when a receipt must be reissued (F11).
 */
class VerificationDrills {

  /** {@code purchases.replicaLagWindow} of verifier.yml: younger receipts may just not be there. */
  private static final Duration REPLICA_LAG_WINDOW = Duration.ofSeconds(60);

  @Drill(
      row = "F9",
      fault = "purchase row altered / receipt row deleted (SQL on the primary)",
      expected = "invalid VOIDED / NO_PURCHASE, counted for the alert; reconciler reports it")
  void purchaseDataCorrupted_invalidWithReasonAndReported(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseRows rows = new PurchaseRows(stack);
    Store.Purchase altered = store.buy("drill-f9", store.paidApp(91));
    assertThat(altered.httpStatus()).as("purchase " + altered.body()).isEqualTo(201);
    String missingJti = rows.receiptOlderThan(REPLICA_LAG_WINDOW.plusSeconds(5));
    Store.Purchase young = null;
    if (missingJti == null) {
      young = store.buy("drill-f9", store.paidApp(92));
      assertThat(young.httpStatus()).as("purchase " + young.body()).isEqualTo(201);
      missingJti = rows.jtiOf(young.id());
    }
    String missingReceipt = rows.receipt(missingJti);
    AdminMetrics before = AdminMetrics.scrape(stack, "VERIFIER_ADMIN_URL");

    Map<String, Object> deleted = null;
    try {
      rows.setStatus(altered.id(), "VOIDED");
      Verdict voided = awaitVerdict(stack, altered.receipt(), "invalid", Duration.ofSeconds(20));
      report.observed("status altered to VOIDED: " + voided);
      assertThat(voided.reason()).isEqualTo("VOIDED");
      StackHttp.Reply reconcile =
          stack.https().post(stack.url("CATALOG_ADMIN_URL", "/tasks/reconcile"), "");
      report.observed("reconciler findings: " + reconcile.json().path("findings").size());
      assertThat(reconcile.json().path("findings").toString())
          .as("the reconciler reports money moved for the altered purchase")
          .contains(altered.id());

      deleted = rows.deleteReceipt(missingJti);
      Set<String> seen = new LinkedHashSet<>();
      Verdict missing =
          awaitVerdict(
              stack,
              missingReceipt,
              "invalid",
              REPLICA_LAG_WINDOW.plusSeconds(20),
              v -> seen.add(v.toString()));
      report.observed("receipt row deleted: " + String.join(" -> ", seen));
      assertThat(missing.reason()).isEqualTo("NO_PURCHASE");

      AdminMetrics after = AdminMetrics.scrape(stack, "VERIFIER_ADMIN_URL");
      for (String counter :
          List.of(
              "verifier_verifications_invalid_VOIDED",
              "verifier_verifications_invalid_NO_PURCHASE")) {
        report.observed(counter + " +" + (int) (after.value(counter) - before.value(counter)));
        assertThat(after.value(counter))
            .as(counter + " (read by ReceiptsInvalidForMissingOrVoidedPurchases)")
            .isGreaterThan(before.value(counter));
      }
    } finally {
      rows.setStatus(altered.id(), "COMPLETED");
      if (deleted != null) {
        rows.restoreReceipt(deleted);
      }
    }
    report.awaitRecovery(
        Duration.ofSeconds(30),
        () ->
            Verdict.of(stack, altered.receipt()).is("ok")
                && Verdict.of(stack, missingReceipt).is("ok"));
    invariants.check(report);
  }

  @Drill(
      row = "F10",
      fault = "jwks-unreachable + keytool rotation",
      expected = "cached keys verify; new kid 503 never invalid; keys refreshed after")
  void jwksUnreachable_cachedKeysVerifyUnknownKidUnavailable(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    KeyRegistryRows keys = new KeyRegistryRows(stack);
    Store.Purchase before = store.buy("drill-f10", store.paidApp(101));
    assertThat(before.httpStatus()).as("purchase " + before.body()).isEqualTo(201);
    Await.until(
        Duration.ofSeconds(20), () -> Verdict.of(stack, before.receipt()).is("ok"), "ok before");
    String oldKid = keys.active("receipt").kid();

    stack.fault("jwks-unreachable", true);
    // An operator's refresh (or the next scheduled one) meets the outage; from then on the
    // verifier knows its set may be incomplete.
    StackHttp.Reply refresh =
        stack.https().post(stack.url("VERIFIER_ADMIN_URL", "/tasks/refresh-keys"), "");
    report.observed("refresh-keys during the outage: HTTP " + refresh.status());
    assertThat(refresh.status()).isNotEqualTo(200);
    Verdict cached = Verdict.of(stack, before.receipt());
    report.observed("known kid: " + cached);
    assertThat(cached.is("ok")).as("cached keys keep verifying: " + cached).isTrue();

    // A rotation the verifier cannot learn about (forced: generate, publish and activate in one
    // run, without the key-cache age): the signer signs with a key the verifier has never seen.
    keys.keytool(
        "rotate", "--purpose", "receipt", "--force", "--reason", "drill F10", "--actor", "drills");
    String newKid = keys.active("receipt").kid();
    assertThat(newKid).isNotEqualTo(oldKid);
    Store.Purchase[] fresh = new Store.Purchase[1];
    Await.until(
        Duration.ofSeconds(20),
        () -> {
          fresh[0] = store.buy("drill-f10", store.paidApp(102));
          return fresh[0].httpStatus() == 201
              && newKid.equals(KeyRegistryRows.kidOf(fresh[0].receipt()));
        },
        "a receipt signed with the new key " + newKid);
    Verdict unknown = Verdict.of(stack, fresh[0].receipt());
    report.observed("new kid: " + unknown + ", Retry-After " + unknown.retryAfter());
    assertThat(unknown.httpStatus()).as("unknown kid while keys unreachable").isEqualTo(503);
    assertThat(unknown.reason()).isEqualTo("KEYS_UNAVAILABLE");
    assertThat(unknown.retryAfter()).isNotNull();
    double age = AdminMetrics.read(stack, "VERIFIER_ADMIN_URL", "verifier_keys_age_seconds");
    report.observed("verifier_keys_age_seconds " + (int) age);

    stack.fault("jwks-unreachable", false);
    // No operator action: the verifier retries the key set on its own (unknown kid, throttled to
    // one fetch per minRefreshInterval after a failure).
    report.awaitRecovery(
        Duration.ofSeconds(60), () -> Verdict.of(stack, fresh[0].receipt()).is("ok"));
    assertThat(Verdict.of(stack, before.receipt()).is("ok")).isTrue();
    invariants.check(report);
  }

  @Drill(
      row = "F11",
      fault = "signer-stop",
      expected = "verify ok; reissue and purchase 503 + Retry-After, nothing charged")
  void signerDown_verificationUnaffectedReissueUnavailable(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseRows rows = new PurchaseRows(stack);
    String app = store.paidApp(111);
    Store.Purchase bought = store.buy("drill-f11", app);
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);
    Await.until(
        Duration.ofSeconds(20), () -> Verdict.of(stack, bought.receipt()).is("ok"), "ok before");
    // Reissue signs only for a receipt the store holds as expired: age this one in the store's
    // records (its token still says 180 days, so the verifier keeps answering ok).
    rows.expireReceipts(bought.id());

    long signerPid = childPid(stack, "signer");
    stack.fault("signer-stop", true);
    // The switch sends the signer its stop signal and returns; during its graceful shutdown it
    // still answers on open connections. The drill starts once the process is gone.
    Duration stopped =
        Await.until(
            Duration.ofSeconds(60),
            () -> ProcessHandle.of(signerPid).map(p -> !p.isAlive()).orElse(true),
            "the signer process (pid " + signerPid + ") gone");
    report.observed("signer exited " + Await.seconds(stopped) + " after the switch");
    Verdict during = Verdict.of(stack, bought.receipt());
    report.observed("verify: " + during);
    assertThat(during.is("ok")).as("verification unaffected: " + during).isTrue();
    StackHttp.Reply reissue = reissue(stack, bought.receipt());
    report.observed(
        "reissue: " + reissue.status() + " Retry-After " + reissue.header("Retry-After"));
    assertThat(reissue.status()).as("reissue " + reissue.abbreviated()).isEqualTo(503);
    assertThat(reissue.header("Retry-After")).isNotNull();
    Store.Purchase refused = store.buy("drill-f11", store.paidApp(112));
    report.observed("purchase: " + refused + " -> " + store.status(refused.id()));
    assertThat(refused.httpStatus()).isEqualTo(503);
    assertThat(store.status(refused.id())).isEqualTo("VOIDED");
    assertThat(invariants.ledger())
        .as("no charge for the refused purchase")
        .noneMatch(c -> refused.id().equals(c.path("idempotency_key").asText()));

    // Lifting returns once the restarted signer answers; the restart is part of the recovery, so
    // it is measured from the lift, polling the signer's heartbeat before buying.
    CompletableFuture<Void> lifted =
        CompletableFuture.runAsync(() -> stack.fault("signer-stop", false));
    URI signerUp = stack.url("SIGNER_ADMIN_URL", "/__lbheartbeat__");
    report.awaitRecovery(
        Duration.ofSeconds(120),
        () ->
            stack.https().get(signerUp).status() == 200
                && store.buy("drill-f11", app).httpStatus() == 201);
    lifted.get(2, TimeUnit.MINUTES);
    StackHttp.Reply reissued = reissue(stack, bought.receipt());
    assertThat(reissued.status()).as("reissue after " + reissued.abbreviated()).isEqualTo(200);
    String freshReceipt = reissued.json().path("receipt").asText();
    assertThat(freshReceipt).isNotEqualTo(bought.receipt());
    Await.until(
        Duration.ofSeconds(20),
        () -> Verdict.of(stack, freshReceipt).is("ok"),
        "the reissued receipt verifying ok");
    report.observed("reissued receipt verifies ok");
    invariants.check(report);
  }

  /** The pid of a service's current process (its supervisor writes it). */
  private static long childPid(DrillStack stack, String service) throws Exception {
    return Long.parseLong(
        Files.readString(stack.stackDir().resolve("run/" + service + ".child.pid")).trim());
  }

  private static StackHttp.Reply reissue(DrillStack stack, String receipt) throws Exception {
    return stack
        .https()
        .post(
            stack.url("CATALOG_URL", "/api/v1/receipts/reissue"),
            receipt,
            "Content-Type",
            "text/plain");
  }

  private static Verdict awaitVerdict(
      DrillStack stack, String receipt, String status, Duration limit) throws Exception {
    return awaitVerdict(stack, receipt, status, limit, v -> {});
  }

  /** Polls the verifier until it answers {@code status}; every answer seen goes to {@code seen}. */
  private static Verdict awaitVerdict(
      DrillStack stack, String receipt, String status, Duration limit, Consumer<Verdict> seen)
      throws Exception {
    Verdict[] last = new Verdict[1];
    Await.until(
        limit,
        () -> {
          last[0] = Verdict.of(stack, receipt);
          seen.accept(last[0]);
          return last[0].is(status);
        },
        "verify -> " + status);
    return last[0];
  }
}
