package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Signing refused for the key's sake: the ACTIVE receipt key expired (F12), a signature that does
 * not verify with the key's registered certificate (F14). Either way nothing is issued and nothing
 * is charged.
 */
class SigningKeyDrills {

  /** The signer re-reads the ACTIVE keys every 5 s; a few rounds of that. */
  private static final Duration KEY_CHANGE_SEEN = Duration.ofSeconds(20);

  @Drill(
      row = "F12",
      fault = "key-expired",
      expected = "purchase 503 voided, nothing charged; days_until_expiry <= 0; emergency rotation")
  void activeKeyExpired_purchasesVoidedUntilEmergencyRotation(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    KeyRegistryRows keys = new KeyRegistryRows(stack);
    String app = store.paidApp(121);
    String expiredKid = keys.active("receipt").kid();

    stack.fault("key-expired", true);
    Store.Purchase refused = awaitRefusedPurchase(store, app);
    report.observed("purchase: " + refused + " -> " + store.status(refused.id()));
    assertThat(refused.body().path("reason").asText()).isEqualTo("SIGNING_UNAVAILABLE");
    assertThat(store.status(refused.id())).isEqualTo("VOIDED");
    assertThat(invariants.ledger())
        .as("no charge for the refused purchase")
        .noneMatch(c -> refused.id().equals(c.path("idempotency_key").asText()));
    assertThat(issuedFor(stack, refused.id())).as("no receipt issued").isZero();
    double days =
        AdminMetrics.read(stack, "SIGNER_ADMIN_URL", "signer_key_receipt_days_until_expiry");
    report.observed(
        "signer_key_receipt_days_until_expiry " + String.format(Locale.ROOT, "%.3f", days));
    assertThat(days).as("what ActiveReceiptKeyExpired reads").isLessThanOrEqualTo(0);
    int readiness = stack.https().get(stack.url("SIGNER_ADMIN_URL", "/__heartbeat__")).status();
    report.observed("signer readiness " + readiness);
    assertThat(readiness).isNotEqualTo(200);

    // No wait for the verifier's key set and no manual key refresh: an earlier drill may have
    // refreshed the set seconds ago; the new kid is then 503 (not invalid) until the verifier may
    // fetch for it, at most keys.minRefreshInterval (30 s), and never remembered as unknown.
    // The runbook's emergency (ops/runbooks/key-rotation.md): a new key, activated at once.
    keys.keytool(
        "rotate",
        "--purpose",
        "receipt",
        "--force",
        "--reason",
        "drill F12: active key expired",
        "--actor",
        "drills");
    String newKid = keys.active("receipt").kid();
    assertThat(newKid).isNotEqualTo(expiredKid);
    // Verifiers learn the new key on its first receipt (unknown kid -> one coalesced fetch).
    List<Verdict> newKeyVerdicts = new ArrayList<>();
    report.awaitRecovery(
        Duration.ofSeconds(60),
        () -> {
          Store.Purchase bought = store.buy("drill-f12", app);
          if (bought.httpStatus() != 201) {
            return false;
          }
          Verdict verdict = Verdict.of(stack, bought.receipt());
          newKeyVerdicts.add(verdict);
          return verdict.is("ok");
        });
    report.observed(
        "verifier on the new key's receipts, in turn: "
            + newKeyVerdicts.stream()
                .collect(
                    Collectors.groupingBy(
                        Verdict::toString, LinkedHashMap::new, Collectors.counting())));
    assertThat(newKeyVerdicts)
        .as("a valid receipt of the new key is never called invalid")
        .noneMatch(v -> "invalid".equals(v.status()));
    stack.fault("key-expired", false);
    invariants.check(report);
  }

  @Drill(
      row = "F14",
      fault = "registry sends the ACTIVE key to another private key in the token",
      expected = "verify-after-sign: 503, nothing issued or charged; bad_signature counted")
  void signatureDoesNotVerify_caughtBeforeIssue(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    KeyRegistryRows keys = new KeyRegistryRows(stack);
    String app = store.paidApp(141);
    KeyRegistryRows.Key active = keys.active("receipt");
    KeyRegistryRows.Key other =
        keys.otherInHsm("receipt", active.alg())
            .orElseGet(
                () -> {
                  keys.keytool("generate", "--purpose", "receipt", "--actor", "drills");
                  return keys.otherInHsm("receipt", active.alg()).orElseThrow();
                });
    double badBefore =
        AdminMetrics.read(stack, "SIGNER_ADMIN_URL", "signer_signatures_receipt_bad_signature");

    keys.swapHsmLabels(active, other);
    try {
      Store.Purchase refused = awaitRefusedPurchase(store, app);
      report.observed("purchase: " + refused + " -> " + store.status(refused.id()));
      assertThat(refused.body().path("reason").asText()).isEqualTo("SIGNING_UNAVAILABLE");
      assertThat(store.status(refused.id())).isEqualTo("VOIDED");
      assertThat(invariants.ledger())
          .as("no charge for the refused purchase")
          .noneMatch(c -> refused.id().equals(c.path("idempotency_key").asText()));
      assertThat(issuedFor(stack, refused.id())).as("nothing issued or logged").isZero();
      double bad =
          AdminMetrics.read(stack, "SIGNER_ADMIN_URL", "signer_signatures_receipt_bad_signature");
      report.observed("signer_signatures_receipt_bad_signature +" + (int) (bad - badBefore));
      assertThat(bad).as("what SignatureFailedVerifyAfterSign reads").isGreaterThan(badBefore);
    } finally {
      keys.restoreHsmLabels(active, other);
    }
    report.awaitRecovery(
        KEY_CHANGE_SEEN.plus(KEY_CHANGE_SEEN),
        () -> store.buy("drill-f14", app).httpStatus() == 201);
    invariants.check(report);
  }

  /**
   * Buys until the store refuses (the signer notices a key change at its next registry read); a
   * purchase that still went through before is an ordinary completed purchase.
   */
  private static Store.Purchase awaitRefusedPurchase(Store store, String app) throws Exception {
    Store.Purchase[] last = new Store.Purchase[1];
    Await.until(
        KEY_CHANGE_SEEN,
        () -> {
          last[0] = store.buy("drill-keys", app);
          return last[0].httpStatus() == 503;
        },
        "a purchase refused with 503");
    return last[0];
  }

  /** Receipts the signer stored and logged for a purchase (its issuance record). */
  private static long issuedFor(DrillStack stack, String purchaseId) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT (SELECT count(*) FROM signer.receipt WHERE purchase_id = :id)"
                            + " + (SELECT count(*) FROM audit.issuance_log WHERE purchase_id = :id)")
                    .bind("id", purchaseId)
                    .mapTo(Long.class)
                    .one());
  }
}
