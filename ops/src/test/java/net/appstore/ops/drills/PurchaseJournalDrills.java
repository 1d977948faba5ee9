package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * F22: the purchase write fails after the gateway charged, and the store process is killed (-9)
 * before the database is back. The completion must survive in the fsynced journal, replay after the
 * supervisor restarts the store, and leave the reconciler nothing to do.
 */
class PurchaseJournalDrills {

  /** Long enough to stop the primary while the charge waits, short of the 3 s client timeout. */
  private static final int CHARGE_LATENCY_MS = 2500;

  @Drill(
      row = "F22",
      fault = "primary-stop during a slow charge, then kill -9 the store",
      expected = "201 + receipt (pending); journal replays after restart; COMPLETED, ok, 1 charge")
  void writeFailsAfterCharge_journalSurvivesKillAndReplays(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    String user = "drill-f22-" + UUID.randomUUID().toString().substring(0, 8);
    String app = store.paidApp(22);
    store.token(user);

    stack.fault("payments-slow", true);
    probe.gatewayLatency(CHARGE_LATENCY_MS);
    CompletableFuture<Store.Purchase> buying =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.buy(user, app);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // The receipt is stored (SIGNED) and the charge is waiting at the gateway: stop the primary.
    Await.until(Duration.ofSeconds(10), () -> signedPurchaseOf(stack, user) != null, "SIGNED");
    String id = signedPurchaseOf(stack, user);
    stack.fault("primary-stop", true);
    Store.Purchase answer = buying.get(30, TimeUnit.SECONDS);
    stack.fault("payments-slow", false);
    report.observed("purchase while the primary stops: " + answer);
    assertThat(answer.httpStatus()).as("the buyer's answer " + answer.body()).isEqualTo(201);
    assertThat(answer.id()).isEqualTo(id);
    assertThat(answer.receipt()).as("the buyer keeps the receipt").isNotNull();
    assertThat(probe.journal()).as("completion journalled").contains(id);
    String verdict = probe.verify(answer.receipt());
    report.observed("verify before replay: " + verdict);
    assertThat(verdict).isEqualTo("pending");

    // The store dies before it could replay; its supervisor restarts it.
    long before = probe.catalogPid();
    new ProcessBuilder("kill", "-9", Long.toString(before)).inheritIO().start().waitFor();
    Await.until(
        Duration.ofSeconds(30),
        () -> probe.catalogPid() != before && probe.catalogUp(),
        "the catalog restarted by its supervisor");
    report.observed("store killed (-9) and restarted; journal still holds the purchase");
    assertThat(probe.journal()).contains(id);
    assertThat(probe.verify(answer.receipt())).isEqualTo("pending");

    stack.fault("primary-stop", false);
    report.awaitRecovery(
        Duration.ofSeconds(60),
        () -> "COMPLETED".equals(store.status(id)) && "ok".equals(probe.verify(answer.receipt())));
    assertThat(replayedEntries(stack, id)).as("completed by the journal replay").isEqualTo(1);
    Await.until(Duration.ofSeconds(15), () -> !probe.journal().contains(id), "journal emptied");
    assertThat(probe.moneyMoved(id)).as("one charge").isEqualTo(1);
    JsonNode reconciled = probe.reconcile();
    report.observed(
        "reconciler: " + reconciled.path("repaired") + " " + reconciled.path("findings"));
    assertThat(reconciled.path("repaired").toString()).doesNotContain(id);
    assertThat(reconciled.path("findings")).as("nothing left for a person").isEmpty();
    String logged = String.join("\n", probe.catalogLog(id));
    assertThat(logged)
        .as("every step logged with the purchase id")
        .contains(
            "reserved app",
            "stored",
            "charged",
            "completion write failed",
            "completion journalled",
            "replayed");
    report.observed("logged: reserve, receipt, charge, write failed, journalled, replayed");
    invariants.check(report);
  }

  private static String signedPurchaseOf(DrillStack stack, String user) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id::text FROM store.purchases WHERE user_id = :u"
                            + " AND status = 'SIGNED'")
                    .bind("u", user)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
  }

  private static int replayedEntries(DrillStack stack, String id) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM store.journal_replays"
                            + " WHERE purchase_id = CAST(:id AS uuid)")
                    .bind("id", id)
                    .mapTo(Integer.class)
                    .one());
  }
}
