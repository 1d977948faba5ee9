package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** The HSM token disappears under the signer (F13). */
class HsmDrills {

  @Drill(
      row = "F13",
      fault = "hsm-remove",
      expected = "purchase 503 + Retry-After, voided, nothing charged; signing back by itself")
  void tokenGone_purchaseVoidedBeforeChargeAndSigningRecovers(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    String app = store.paidApp(13);
    stack.fault("hsm-remove", true);
    Store.Purchase refused = store.buy("drill-f13", app);
    report.observed("purchase: " + refused);
    assertThat(refused.httpStatus()).isEqualTo(503);
    assertThat(invariants.ledger())
        .as("no charge for the refused purchase")
        .noneMatch(
            c -> refused.id() != null && refused.id().equals(c.path("idempotency_key").asText()));
    int readiness = stack.https().get(stack.url("SIGNER_ADMIN_URL", "/__heartbeat__")).status();
    report.observed("signer readiness " + readiness);
    assertThat(readiness).isNotEqualTo(200);

    stack.fault("hsm-remove", false);
    report.awaitRecovery(
        Duration.ofSeconds(90), () -> store.buy("drill-f13", app).httpStatus() == 201);
    invariants.check(report);
  }
}
