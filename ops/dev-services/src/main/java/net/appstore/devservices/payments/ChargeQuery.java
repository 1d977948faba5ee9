package net.appstore.devservices.payments;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filters of {@code GET /v1/charges}; every one is optional and they combine with "and".
 *
 * @param idempotencyKey only the charge created under this key
 * @param startingAfter a charge id: only charges recorded after it (the cursor for the next page)
 * @param createdGte only charges created at or after this instant
 * @param status only charges in this current status
 * @param limit page size
 */
record ChargeQuery(
    String idempotencyKey,
    String startingAfter,
    Instant createdGte,
    ChargeStatus status,
    int limit) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> PARAMETERS =
      Set.of("idempotency_key", "starting_after", "created_gte", "status", "limit");

  /**
   * @throws ApiException 400 for an unknown or malformed parameter
   */
  static ChargeQuery parse(Map<String, String> query) {
    for (String name : query.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ApiException.invalid(
            "parameter_unknown",
            name,
            "unknown query parameter \""
                + name
                + "\"; allowed: "
                + String.join(", ", new TreeSet<>(PARAMETERS)));
      }
    }
    return new ChargeQuery(
        query.get("idempotency_key"),
        query.get("starting_after"),
        createdGte(query.get("created_gte")),
        status(query.get("status")),
        limit(query.get("limit")));
  }

  boolean matches(ChargeLedger.ChargeState state) {
    Charge charge = state.charge();
    return (idempotencyKey == null || idempotencyKey.equals(charge.idempotencyKey()))
        && (createdGte == null || !charge.created().isBefore(createdGte))
        && (status == null
            || status == (state.refund() != null ? ChargeStatus.REFUNDED : charge.status()));
  }

  private static Instant createdGte(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          "parameter_invalid",
          "created_gte",
          "created_gte must be an ISO-8601 UTC instant such as 2025-01-31T12:00:00Z, not \""
              + text
              + "\"");
    }
  }

  private static ChargeStatus status(String text) {
    if (text == null) {
      return null;
    }
    return ChargeStatus.byId(text)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    "parameter_invalid",
                    "status",
                    "status must be succeeded, declined or refunded, not \"" + text + "\""));
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(
        "parameter_invalid", "limit", "limit must be an integer from 1 to " + MAX_LIMIT);
  }
}
