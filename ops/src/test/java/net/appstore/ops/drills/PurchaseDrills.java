package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The purchase flow against the whole stack (FAILURE-MODES F19-F21, F23, F30): a real signer on
 * SoftHSM2, real PostgreSQL and the simulated gateway as its own process. F22 (the kill -9 of the
 * store between charge and completion) is in {@link PurchaseJournalDrills}.
 */
class PurchaseDrills {

  @Drill(
      row = "F19",
      fault = "payments-decline, payments-down",
      expected = "402 / 503 + Retry-After; VOIDED; nothing charged; receipt never delivered")
  void declinedOrGatewayDown_purchaseVoidedNothingCharged(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    String app = store.paidApp(19);

    stack.fault("payments-decline", true);
    Store.Purchase declined = store.buy("drill-f19", app);
    report.observed("decline: " + declined.httpStatus() + " " + reason(declined));
    assertThat(declined.httpStatus()).as("declined " + declined.body()).isEqualTo(402);
    assertVoidedWithoutReceiptOrMoney(store, probe, declined, "PAYMENT_DECLINED");
    assertThat(probe.charges(declined.id()))
        .as("the gateway recorded the declined charge")
        .extracting(c -> c.path("status").asText())
        .containsExactly("declined");
    stack.fault("payments-decline", false);

    stack.fault("payments-down", true);
    assertRefusedBeforeAnyCharge(
        store, probe, report, "drill-f19", app, "down", "PAYMENT_UNAVAILABLE");
    stack.fault("payments-down", false);

    report.awaitRecovery(
        Duration.ofSeconds(30), () -> store.buy("drill-f19", app).httpStatus() == 201);
    invariants.check(report);
  }

  @Drill(
      row = "F20",
      fault = "signer-stop",
      expected = "503 SIGNING_UNAVAILABLE + Retry-After; VOIDED before any charge")
  void signerDown_purchaseVoidedBeforeAnyCharge(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    String app = store.paidApp(20);
    store.token("drill-f20");

    stack.fault("signer-stop", true);
    assertRefusedBeforeAnyCharge(
        store, probe, report, "drill-f20", app, "purchase", "SIGNING_UNAVAILABLE");

    stack.fault("signer-stop", false);
    report.awaitRecovery(
        Duration.ofSeconds(60), () -> store.buy("drill-f20", app).httpStatus() == 201);
    invariants.check(report);
  }

  @Drill(
      row = "F21",
      fault = "download host unreachable (none in the stack); signer-stop",
      expected = "purchase stands; receipt and download link fetched again later")
  void downloadInaccessible_purchaseStandsAndCanBeFetchedAgain(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    Store.Purchase bought = store.buy("drill-f21", store.paidApp(21));
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);
    String link = bought.body().path("download_url").asText();
    assertThat(link).contains(bought.id());

    // The package download fails (the stack has no package host: the link answers no package).
    int download = downloadStatus(stack, link);
    report.observed("download link answers " + download);
    assertThat(download).as("the package is not downloadable here").isNotEqualTo(200);
    assertThat(store.status(bought.id())).as("the purchase stands").isEqualTo("COMPLETED");

    // Later, even with the signer down (fetching again needs no new signature), twice.
    stack.fault("signer-stop", true);
    for (int attempt = 1; attempt <= 2; attempt++) {
      StackHttp.Reply again = probe.redownload("drill-f21", bought.id());
      assertThat(again.status()).as("redownload " + again.abbreviated()).isEqualTo(200);
      assertThat(again.json().path("receipt").asText()).isEqualTo(bought.receipt());
      assertThat(again.json().path("download_url").asText()).isEqualTo(link);
      assertThat(again.json().path("status").asText()).isEqualTo("COMPLETED");
    }
    report.observed("redownload x2 with the signer down: 200, same receipt and link");
    StackHttp.Reply stranger = probe.redownload("drill-f21-other", bought.id());
    assertThat(stranger.status()).as("another user's purchase").isEqualTo(404);
    stack.fault("signer-stop", false);

    report.awaitRecovery(Duration.ofSeconds(30), () -> "ok".equals(probe.verify(bought.receipt())));
    assertThat(probe.moneyMoved(bought.id())).as("charged once").isEqualTo(1);
    invariants.check(report);
  }

  @Drill(
      row = "F23",
      fault = "20 concurrent requests, one Idempotency-Key (payments-slow)",
      expected = "one charge, one purchase, the same receipt; others 409 while in flight")
  void sameRequestTwentyTimes_oneChargeOnePurchaseSameReceipt(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    String user = "drill-f23-" + UUID.randomUUID().toString().substring(0, 8);
    String app = store.paidApp(23);
    String key = "drill-f23-" + UUID.randomUUID();
    store.token(user);
    // The charge takes 1.5 s, so the first request is certainly in flight while the others land.
    stack.fault("payments-slow", true);

    List<Store.Purchase> answers = sendConcurrently(20, () -> store.buy(user, app, key));
    stack.fault("payments-slow", false);
    long created = answers.stream().filter(a -> a.httpStatus() == 201).count();
    long inFlight = answers.stream().filter(a -> a.httpStatus() == 409).count();
    report.observed("20 concurrent: " + created + " x 201, " + inFlight + " x 409 in flight");
    assertThat(answers)
        .as("every answer is the purchase or 'in flight'")
        .allSatisfy(a -> assertThat(a.httpStatus()).isIn(201, 409));
    assertThat(created).isGreaterThanOrEqualTo(1);
    Store.Purchase first = answers.stream().filter(a -> a.httpStatus() == 201).findFirst().get();
    assertThat(answers.stream().filter(a -> a.httpStatus() == 201))
        .as("every 201 is the same purchase and receipt")
        .allSatisfy(
            a -> {
              assertThat(a.id()).isEqualTo(first.id());
              assertThat(a.receipt()).isEqualTo(first.receipt());
            });
    assertThat(answers.stream().filter(a -> a.httpStatus() == 409))
        .allSatisfy(a -> assertThat(reason(a)).isEqualTo("REQUEST_IN_FLIGHT"));

    // A retry after the first finished gets the stored answer, marked as a replay.
    StackHttp.Reply retry =
        stack
            .https()
            .post(
                stack.url("CATALOG_URL", "/api/v1/apps/" + app + "/purchases"),
                "",
                "Authorization",
                "Bearer " + store.token(user),
                "Idempotency-Key",
                key);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json().path("receipt").asText()).isEqualTo(first.receipt());
    // Same key, other parameters (another app): refused, nothing bought.
    Store.Purchase reused = store.buy(user, store.paidApp(24), key);
    assertThat(reused.httpStatus()).isEqualTo(422);

    assertThat(probe.moneyMoved(first.id())).as("one charge").isEqualTo(1);
    assertThat(purchasesOf(stack, user)).as("one purchase for the user").isEqualTo(1);
    report.observed("retry: 201 replayed, same receipt; other app, same key: 422");
    report.observed("1 charge, 1 purchase");
    report.awaitRecovery(Duration.ofSeconds(20), () -> "ok".equals(probe.verify(first.receipt())));
    invariants.check(report);
  }

  @Drill(
      row = "F30",
      fault = "redownload and reissue, again and again",
      expected = "same receipt and link each time; an expired receipt reissued fresh, verifies ok")
  void paidUserAsksAgain_redownloadAndReissueAtWill(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    Store.Purchase bought = store.buy("drill-f30", store.paidApp(30));
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);

    for (int i = 0; i < 3; i++) {
      StackHttp.Reply again = probe.redownload("drill-f30", bought.id());
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().path("receipt").asText()).isEqualTo(bought.receipt());
      StackHttp.Reply reissued = probe.reissue(bought.receipt());
      assertThat(reissued.status()).as("reissue " + reissued.abbreviated()).isEqualTo(200);
      assertThat(reissued.json().path("receipt").asText())
          .as("an unexpired receipt: the newest one back")
          .isEqualTo(bought.receipt());
    }
    report.observed("redownload + reissue x3: 200, same receipt");

    // Time passes: the stored receipt's validity ends (as the store records it).
    expireReceipts(stack, bought.id());
    StackHttp.Reply fresh = probe.reissue(bought.receipt());
    assertThat(fresh.status()).as("reissue of the expired " + fresh.abbreviated()).isEqualTo(200);
    String freshReceipt = fresh.json().path("receipt").asText();
    assertThat(freshReceipt).isNotEqualTo(bought.receipt());
    assertThat(fresh.json().path("purchase_id").asText()).isEqualTo(bought.id());
    StackHttp.Reply afterwards = probe.redownload("drill-f30", bought.id());
    assertThat(afterwards.json().path("receipt").asText())
        .as("redownload hands out the fresh receipt")
        .isEqualTo(freshReceipt);
    report.observed("expired: fresh receipt from the signer, redownload gives it");

    StackHttp.Reply forged = probe.reissue(bought.receipt() + "x");
    assertThat(forged.status()).as("altered receipt " + forged.abbreviated()).isIn(400, 404);
    report.awaitRecovery(Duration.ofSeconds(20), () -> "ok".equals(probe.verify(freshReceipt)));
    assertThat(probe.moneyMoved(bought.id())).as("reissue charges nothing").isEqualTo(1);
    invariants.check(report);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A purchase while a dependency is down: 503 with the reason and Retry-After, the purchase VOIDED
   * without receipt or money, and no charge at the gateway.
   */
  private static void assertRefusedBeforeAnyCharge(
      Store store,
      PurchaseProbe probe,
      DrillReport report,
      String buyer,
      String app,
      String what,
      String reason)
      throws Exception {
    StackHttp.Reply reply = probe.buy(buyer, app);
    Store.Purchase refused = Store.Purchase.of(reply);
    report.observed(
        what
            + ": "
            + refused.httpStatus()
            + " "
            + reason(refused)
            + " Retry-After "
            + retryAfter(reply));
    assertThat(refused.httpStatus()).as(what + " " + refused.body()).isEqualTo(503);
    assertThat(retryAfter(reply)).as("Retry-After").isNotNull();
    assertVoidedWithoutReceiptOrMoney(store, probe, refused, reason);
    assertThat(probe.charges(refused.id())).as("no charge at the gateway").isEmpty();
  }

  private static void assertVoidedWithoutReceiptOrMoney(
      Store store, PurchaseProbe probe, Store.Purchase answer, String reason) throws Exception {
    assertThat(reason(answer)).isEqualTo(reason);
    assertThat(answer.id()).as("the answer names the purchase").isNotNull();
    assertThat(answer.receipt()).as("no receipt delivered").isNull();
    assertThat(store.status(answer.id())).isEqualTo("VOIDED");
    assertThat(probe.moneyMoved(answer.id())).as("nothing charged").isZero();
  }

  static String reason(Store.Purchase answer) {
    return answer.body() == null ? null : answer.body().path("reason").asText(null);
  }

  private static String retryAfter(StackHttp.Reply reply) {
    return reply.header("Retry-After");
  }

  private static int downloadStatus(DrillStack stack, String link) {
    try {
      return stack.https().get(java.net.URI.create(link)).status();
    } catch (Exception e) {
      return -1; // unreachable is inaccessible too
    }
  }

  /** Sends {@code n} requests at once (released together) and collects every answer. */
  static List<Store.Purchase> sendConcurrently(
      int n, java.util.concurrent.Callable<Store.Purchase> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Store.Purchase>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return request.call();
                }));
      }
      start.countDown();
      List<Store.Purchase> answers = new ArrayList<>();
      for (Future<Store.Purchase> f : futures) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static int purchasesOf(DrillStack stack, String user) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM store.purchases WHERE user_id = :u")
                    .bind("u", user)
                    .mapTo(Integer.class)
                    .one());
  }

  private static void expireReceipts(DrillStack stack, String purchaseId) {
    stack
        .primary()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE store.purchase_receipts SET expires_at = now() - interval '1 day'"
                            + " WHERE purchase_id = CAST(:id AS uuid)")
                    .bind("id", purchaseId)
                    .execute());
  }
}
