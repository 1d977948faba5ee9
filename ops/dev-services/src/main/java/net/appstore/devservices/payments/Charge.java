package net.appstore.devservices.payments;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A charge as it was recorded: the facts never change afterwards. A later refund is a separate
 * {@link Refund} entry; the charge's current status combines both.
 *
 * @param status {@link ChargeStatus#SUCCEEDED} or {@link ChargeStatus#DECLINED}
 * @param faults the faults that were on when it was recorded (ledger only, for people reading it)
 */
record Charge(
    String id,
    String idempotencyKey,
    ChargeRequest request,
    ChargeStatus status,
    Instant created,
    List<String> faults) {

  static final String DECLINE_CODE = "card_declined";

  Charge {
    if (status == ChargeStatus.REFUNDED) {
      throw new IllegalArgumentException("a charge is recorded succeeded or declined");
    }
    faults = List.copyOf(faults);
  }

  Amount amount() {
    return request.amount();
  }

  /**
   * The API representation.
   *
   * @param refund the charge's refund, or null: the stored result of the creating request, which
   *     idempotent replays answer, is the charge without its later refund
   */
  Map<String, Object> toJson(Refund refund) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("object", "charge");
    json.put("status", (refund != null ? ChargeStatus.REFUNDED : status).id());
    json.put("amount", amount().text());
    json.put("currency", amount().currency().getCurrencyCode());
    json.put("description", request.description());
    json.put("metadata", request.metadata());
    json.put("idempotency_key", idempotencyKey);
    json.put("created", created.toString());
    boolean declined = status == ChargeStatus.DECLINED;
    json.put("failure_code", declined ? DECLINE_CODE : null);
    json.put("failure_message", declined ? "the card was declined (simulated)" : null);
    json.put("refund", refund != null ? refund.id() : null);
    json.put("refunded_at", refund != null ? refund.created().toString() : null);
    return json;
  }

  Map<String, Object> toLedger() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "charge");
    line.put("id", id);
    line.put("idempotency_key", idempotencyKey);
    line.put("status", status.id());
    line.put("amount", amount().text());
    line.put("currency", amount().currency().getCurrencyCode());
    line.put("description", request.description());
    line.put("metadata", request.metadata());
    line.put("created", created.toString());
    line.put("faults", faults);
    return line;
  }

  /**
   * @throws IllegalArgumentException when the line is not a charge this simulator wrote
   */
  static Charge fromLedger(Map<String, Object> line) {
    Map<String, Object> request = new TreeMap<>();
    for (String name : List.of("amount", "currency", "description", "metadata")) {
      if (line.get(name) != null) {
        request.put(name, line.get(name));
      }
    }
    ChargeRequest parsed;
    try {
      parsed = ChargeRequest.parse(request);
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    ChargeStatus status =
        ChargeStatus.byId(LedgerFile.text(line, "status"))
            .orElseThrow(() -> new IllegalArgumentException("unknown status"));
    return new Charge(
        LedgerFile.text(line, "id"),
        LedgerFile.text(line, "idempotency_key"),
        parsed,
        status,
        Instant.parse(LedgerFile.text(line, "created")),
        LedgerFile.textList(line, "faults"));
  }
}
