package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the purchase drills look at besides buying: redownload and reissue as the buyer, the
 * gateway's charges for one purchase, a reconciler run's report, the completion journal file and
 * the catalog's process (for the kill -9 of F22).
 */
final class PurchaseProbe {

  private final DrillStack stack;
  private final Store store;
  private final Invariants invariants;

  PurchaseProbe(DrillStack stack, Store store, Invariants invariants) {
    this.stack = stack;
    this.store = store;
    this.invariants = invariants;
  }

  /**
   * {@code POST /api/v1/apps/{slug}/purchases} with a fresh key: the whole answer (headers too).
   */
  StackHttp.Reply buy(String user, String slug) throws Exception {
    return stack
        .https()
        .post(
            stack.url("CATALOG_URL", "/api/v1/apps/" + slug + "/purchases"),
            "",
            "Authorization",
            "Bearer " + store.token(user),
            "Idempotency-Key",
            "drill-" + java.util.UUID.randomUUID());
  }

  /** {@code GET /api/v1/purchases/{id}} as the buyer: the receipt and download link again. */
  StackHttp.Reply redownload(String user, String purchaseId) throws Exception {
    return stack
        .https()
        .get(
            stack.url("CATALOG_URL", "/api/v1/purchases/" + purchaseId),
            "Authorization",
            "Bearer " + store.token(user));
  }

  /** {@code POST /api/v1/receipts/reissue} with the receipt as the body. */
  StackHttp.Reply reissue(String receipt) throws Exception {
    return stack
        .https()
        .post(
            stack.url("CATALOG_URL", "/api/v1/receipts/reissue"),
            receipt,
            "Content-Type",
            "text/plain");
  }

  /** The gateway's charges recorded under the purchase id (its idempotency key). */
  List<JsonNode> charges(String purchaseId) throws Exception {
    return ledgerOf(java.util.Set.of(purchaseId));
  }

  /** The gateway's charges recorded under any of these purchase ids. */
  List<JsonNode> ledgerOf(java.util.Set<String> purchaseIds) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode charge : invariants.ledger()) {
      if (purchaseIds.contains(charge.path("idempotency_key").asText())) {
        found.add(charge);
      }
    }
    return found;
  }

  /** Charges under the purchase id that moved money (succeeded, or refunded afterwards). */
  long moneyMoved(String purchaseId) throws Exception {
    return charges(purchaseId).stream()
        .map(c -> c.path("status").asText())
        .filter(s -> s.equals("succeeded") || s.equals("refunded"))
        .count();
  }

  /** One reconciler run now ({@code POST /tasks/reconcile}): its report. */
  JsonNode reconcile() throws Exception {
    StackHttp.Reply reply =
        stack.https().post(stack.url("CATALOG_ADMIN_URL", "/tasks/reconcile"), "");
    assertThat(reply.status()).as("reconcile task: " + reply.abbreviated()).isEqualTo(200);
    return reply.json();
  }

  /** The verifier's answer for a receipt. */
  String verify(String receipt) throws Exception {
    return invariants.verify(receipt);
  }

  /** The completion journal's text (empty when there is no file). */
  String journal() throws IOException {
    Path file = stack.stackDir().resolve("catalog/purchase-journal/completions.jsonl");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** The catalog's log lines that name the purchase (every step is logged with its id). */
  List<String> catalogLog(String purchaseId) throws IOException {
    try (var lines = Files.lines(stack.stackDir().resolve("logs/catalog.log"))) {
      return lines.filter(l -> l.contains(purchaseId)).toList();
    }
  }

  /** The pid of the catalog process its supervisor runs now. */
  long catalogPid() throws IOException {
    return Long.parseLong(
        Files.readString(stack.stackDir().resolve("run/catalog.child.pid"), StandardCharsets.UTF_8)
            .trim());
  }

  /** Sets the simulated gateway's latency of the {@code slow} fault (switched on separately). */
  void gatewayLatency(int millis) throws Exception {
    setGatewayFault("slow?latency_ms=" + millis);
  }

  /** Sets how long the {@code timeout} fault holds answers (default 5 minutes). */
  void gatewayHold(int millis) throws Exception {
    setGatewayFault("timeout?hold_ms=" + millis);
  }

  private void setGatewayFault(String nameAndQuery) throws Exception {
    StackHttp.Reply reply =
        stack.https().post(stack.url("PAYMENTS_URL", "/__faults__/" + nameAndQuery), "on");
    assertThat(reply.status()).as("gateway fault " + reply.abbreviated()).isEqualTo(200);
  }

  /** Whether the catalog answers its load balancer heartbeat. */
  boolean catalogUp() {
    try {
      return stack.https().get(stack.url("CATALOG_ADMIN_URL", "/__lbheartbeat__")).status() == 200;
    } catch (Exception e) {
      return false;
    }
  }
}
