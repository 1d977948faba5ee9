package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every drill, whatever was injected (FAILURE-MODES.md): no charge without a
 * completed purchase and its receipt, no voided purchase charged, no receipt verified wrongly, the
 * issuance chain intact. Checked after the fault is lifted and the reconciler has run once, since
 * repairs (journal replay, reconciliation) are part of the designed behaviour.
 */
public final class Invariants {

  private static final Duration SETTLE = Duration.ofSeconds(45);
  private static final int RECEIPTS_SAMPLED = 10;

  private final DrillStack stack;

  public Invariants(DrillStack stack) {
    this.stack = stack;
  }

  /** Runs every check; the drill fails with the first violation. */
  public void check(DrillReport report) throws Exception {
    reconcileNow();
    Await.until(SETTLE, () -> chargeViolations().isEmpty(), "charges matched by purchases");
    assertThat(chargeViolations()).as("charges without a completed purchase and receipt").isEmpty();
    receiptsVerifyAsTheirPurchases();
    issuanceChainIntact();
    report.observed("invariants hold");
  }

  /** One reconciler run now (the catalog's admin task), as the schedule would do later. */
  public void reconcileNow() throws Exception {
    StackHttp.Reply reply =
        stack.https().post(stack.url("CATALOG_ADMIN_URL", "/tasks/reconcile"), "");
    assertThat(reply.status()).as("reconcile task: " + reply.abbreviated()).isEqualTo(200);
  }

  /**
   * Charges that moved money without a COMPLETED or REFUNDED purchase holding a receipt, and VOIDED
   * purchases with such a charge.
   */
  public List<String> chargeViolations() throws Exception {
    Map<String, String> statuses = purchaseStatuses();
    Set<String> withReceipt = purchasesWithReceipt();
    List<String> violations = new ArrayList<>();
    for (JsonNode charge : ledger()) {
      String status = charge.path("status").asText();
      if (!status.equals("succeeded") && !status.equals("refunded")) {
        continue;
      }
      String purchase = charge.path("idempotency_key").asText();
      String purchaseStatus = statuses.get(purchase);
      if (purchaseStatus == null
          || !(purchaseStatus.equals("COMPLETED") || purchaseStatus.equals("REFUNDED"))
          || !withReceipt.contains(purchase)) {
        violations.add(
            "charge "
                + charge.path("id").asText()
                + " ("
                + status
                + ") for purchase "
                + purchase
                + " which is "
                + purchaseStatus
                + (withReceipt.contains(purchase) ? "" : " without a receipt"));
      }
    }
    return violations;
  }

  private Map<String, String> purchaseStatuses() {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery("SELECT id::text AS id, status FROM store.purchases")
                    .setMapKeyColumn("id")
                    .setMapValueColumn("status")
                    .collectInto(
                        new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {}));
  }

  private Set<String> purchasesWithReceipt() {
    return new HashSet<>(
        stack
            .primary()
            .withHandle(
                h ->
                    h.createQuery("SELECT DISTINCT purchase_id::text FROM store.purchase_receipts")
                        .mapTo(String.class)
                        .list()));
  }

  /** The simulated gateway's whole ledger, page by page. */
  public List<JsonNode> ledger() throws Exception {
    List<JsonNode> charges = new ArrayList<>();
    String after = null;
    while (true) {
      URI uri =
          stack.url(
              "PAYMENTS_URL",
              "/v1/charges?limit=1000" + (after == null ? "" : "&starting_after=" + after));
      JsonNode page = stack.https().get(uri).json();
      page.path("data").forEach(charges::add);
      if (!page.path("has_more").asBoolean() || charges.isEmpty()) {
        return charges;
      }
      after = charges.get(charges.size() - 1).path("id").asText();
    }
  }

  /**
   * The newest receipts of completed, refunded and voided purchases verify as ok, refunded and
   * invalid: the verifier never says ok for a purchase that is not complete.
   */
  private void receiptsVerifyAsTheirPurchases() throws Exception {
    Map<String, String> expected =
        Map.of("COMPLETED", "ok", "REFUNDED", "refunded", "VOIDED", "invalid");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      for (String receipt : newestReceipts(e.getKey())) {
        Await.until(
            SETTLE,
            () -> e.getValue().equals(verify(receipt)),
            "a " + e.getKey() + " purchase's receipt verifying " + e.getValue());
      }
    }
  }

  private List<String> newestReceipts(String purchaseStatus) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT r.receipt FROM store.purchase_receipts r JOIN store.purchases p"
                            + " ON p.id = r.purchase_id WHERE p.status = :status"
                            + " AND r.expires_at > now() ORDER BY r.issued_at DESC LIMIT :n")
                    .bind("status", purchaseStatus)
                    .bind("n", RECEIPTS_SAMPLED)
                    .mapTo(String.class)
                    .list());
  }

  /** The verifier's status for a receipt (its answer, whatever it is). */
  public String verify(String receipt) throws Exception {
    StackHttp.Reply reply =
        stack
            .https()
            .post(stack.url("VERIFIER_URL", "/v1/verify"), receipt, "Content-Type", "text/plain");
    return reply.status() == 200 ? reply.json().path("status").asText() : "HTTP " + reply.status();
  }

  private void issuanceChainIntact() {
    ProcessResult audit = stack.ops(Duration.ofMinutes(2), "ops/keytool", "audit", "verify");
    assertThat(audit.succeeded()).as("keytool audit verify:\n" + audit.tail(10)).isTrue();
  }
}
