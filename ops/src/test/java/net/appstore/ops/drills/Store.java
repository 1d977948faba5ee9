package net.appstore.ops.drills;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The store as a buyer and an operator use it: purchases, redownloads and refunds over HTTPS. */
public final class Store {

  private final DrillStack stack;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public Store(DrillStack stack) {
    this.stack = stack;
  }

  /** A public paid app of the seeded catalog (the n-th, so drills can avoid each other's). */
  public String paidApp(int n) {
    return app("price_amount > 0", n);
  }

  public String freeApp(int n) {
    return app("(price_amount IS NULL OR price_amount = 0)", n);
  }

  private String app(String priceCondition, int n) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT slug FROM catalog.app WHERE status = 'public' AND "
                            + priceCondition
                            + " ORDER BY id OFFSET :n LIMIT 1")
                    .bind("n", n)
                    .mapTo(String.class)
                    .one());
  }

  /** A buyer's bearer token (cached: one identity-provider call per user). */
  public String token(String user) {
    return tokens.computeIfAbsent(user, stack::token);
  }

  /** {@code POST /api/v1/apps/{slug}/purchases} with a fresh Idempotency-Key. */
  public Purchase buy(String user, String slug) throws Exception {
    return buy(user, slug, "drill-" + UUID.randomUUID());
  }

  public Purchase buy(String user, String slug, String idempotencyKey) throws Exception {
    StackHttp.Reply reply =
        stack
            .https()
            .post(
                stack.url("CATALOG_URL", "/api/v1/apps/" + slug + "/purchases"),
                "",
                "Authorization",
                "Bearer " + token(user),
                "Idempotency-Key",
                idempotencyKey);
    return Purchase.of(reply);
  }

  /** {@code POST /api/v1/purchases/{id}/refund} as an operator. */
  public StackHttp.Reply refund(String purchaseId) throws Exception {
    String operator = tokens.computeIfAbsent("operator:drills", u -> stack.operatorToken("drills"));
    return stack
        .https()
        .post(
            stack.url("CATALOG_URL", "/api/v1/purchases/" + purchaseId + "/refund"),
            "",
            "Authorization",
            "Bearer " + operator);
  }

  /** The purchase's status on the primary, or null when there is no such purchase. */
  public String status(String purchaseId) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery("SELECT status FROM store.purchases WHERE id = CAST(:id AS uuid)")
                    .bind("id", purchaseId)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
  }

  /** The answer to a purchase request: HTTP status and, when there is one, the purchase. */
  public record Purchase(int httpStatus, String id, String status, String receipt, JsonNode body) {

    static Purchase of(StackHttp.Reply reply) {
      JsonNode body = reply.body().isEmpty() ? null : reply.json();
      return new Purchase(
          reply.status(),
          body == null ? null : text(body, "purchase_id"),
          body == null ? null : text(body, "status"),
          body == null ? null : text(body, "receipt"),
          body);
    }

    private static String text(JsonNode body, String field) {
      JsonNode value = body.path(field);
      return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    @Override
    public String toString() {
      return httpStatus + (status == null ? "" : " " + status);
    }
  }
}
