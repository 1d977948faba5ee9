package net.appstore.devservices.payments;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A full refund of a succeeded charge, as recorded.
 *
 * @param reason null when not given
 * @param faults the faults that were on when it was recorded (ledger only)
 */
record Refund(
    String id,
    String idempotencyKey,
    String chargeId,
    Amount amount,
    String reason,
    Instant created,
    List<String> faults) {

  Refund {
    faults = List.copyOf(faults);
  }

  /** Whether a request with these parameters is the one that created this refund. */
  boolean sameRequest(String otherChargeId, Amount otherAmount, String otherReason) {
    return chargeId.equals(otherChargeId)
        && amount.equals(otherAmount)
        && Objects.equals(reason, otherReason);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("object", "refund");
    json.put("status", "succeeded");
    json.put("charge", chargeId);
    json.put("amount", amount.text());
    json.put("currency", amount.currency().getCurrencyCode());
    json.put("reason", reason);
    json.put("idempotency_key", idempotencyKey);
    json.put("created", created.toString());
    return json;
  }

  Map<String, Object> toLedger() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "refund");
    line.put("id", id);
    line.put("idempotency_key", idempotencyKey);
    line.put("charge", chargeId);
    line.put("amount", amount.text());
    line.put("currency", amount.currency().getCurrencyCode());
    line.put("reason", reason);
    line.put("created", created.toString());
    line.put("faults", faults);
    return line;
  }

  /**
   * @throws IllegalArgumentException when the line is not a refund this simulator wrote
   */
  static Refund fromLedger(Map<String, Object> line) {
    Amount amount;
    try {
      amount =
          Amount.parse(
              LedgerFile.text(line, "amount"),
              Amount.currency(LedgerFile.text(line, "currency"), "currency"),
              "amount");
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Object reason = line.get("reason");
    return new Refund(
        LedgerFile.text(line, "id"),
        LedgerFile.text(line, "idempotency_key"),
        LedgerFile.text(line, "charge"),
        amount,
        reason == null ? null : reason.toString(),
        Instant.parse(LedgerFile.text(line, "created")),
        LedgerFile.textList(line, "faults"));
  }
}
