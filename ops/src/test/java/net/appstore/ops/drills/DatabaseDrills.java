package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** Purchase data behind the verifier: the replica stopped or behind (F7, F8). */
class DatabaseDrills {

  @Drill(
      row = "F7",
      fault = "replica-stop",
      expected = "verify ok via bounded primary fallback; never invalid")
  void replicaDown_verificationFallsBackToPrimary(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    Store.Purchase bought = store.buy("drill-f7", store.paidApp(7));
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);
    Await.until(
        Duration.ofSeconds(20), () -> "ok".equals(invariants.verify(bought.receipt())), "ok");

    stack.fault("replica-stop", true);
    Store.Purchase during = store.buy("drill-f7", store.paidApp(8));
    String verdict = invariants.verify(bought.receipt());
    String fresh = invariants.verify(during.receipt());
    report.observed("verify old receipt: " + verdict);
    report.observed("purchase during the fault: " + during + ", verify: " + fresh);
    assertThat(verdict).isEqualTo("ok");
    assertThat(fresh).isIn("ok", "pending");

    stack.fault("replica-stop", false);
    report.awaitRecovery(
        Duration.ofSeconds(60),
        () -> stack.https().get(stack.url("VERIFIER_ADMIN_URL", "/__heartbeat__")).status() == 200);
    invariants.check(report);
  }

  @Drill(
      row = "F8",
      fault = "replica-pause",
      expected = "new purchase verifies pending or ok (primary read), never invalid")
  void replicaBehind_newPurchaseIsPendingNeverInvalid(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    stack.fault("replica-pause", true);
    Store.Purchase bought = store.buy("drill-f8", store.paidApp(9));
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);
    String verdict = invariants.verify(bought.receipt());
    report.observed("purchase " + bought + " while replay paused; verify: " + verdict);
    assertThat(verdict).isIn("pending", "ok");

    stack.fault("replica-pause", false);
    report.awaitRecovery(
        Duration.ofSeconds(60), () -> "ok".equals(invariants.verify(bought.receipt())));
    invariants.check(report);
  }
}
