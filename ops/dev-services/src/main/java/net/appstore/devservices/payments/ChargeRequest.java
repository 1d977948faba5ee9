package net.appstore.devservices.payments;

import java.util.Currency;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The parameters of {@code POST /v1/charges}, normalised: two requests are "the same" for
 * idempotency when these are equal, so {@code "5"} and {@code "5.00"} EUR are the same amount.
 *
 * @param description null when not given
 * @param metadata never null
 */
record ChargeRequest(Amount amount, String description, SortedMap<String, String> metadata) {

  static final int MAX_DESCRIPTION_LENGTH = 1000;
  private static final Set<String> PARAMETERS =
      Set.of("amount", "currency", "description", "metadata");

  /**
   * @throws ApiException 400 for a missing, unknown or invalid parameter
   */
  static ChargeRequest parse(Map<String, Object> json) {
    RequestBody body = new RequestBody(json, PARAMETERS);
    String amount = body.requiredString("amount", 32);
    Currency currency = Amount.currency(body.requiredString("currency", 16), "currency");
    return new ChargeRequest(
        Amount.parse(amount, currency, "amount"),
        body.optionalString("description", MAX_DESCRIPTION_LENGTH),
        body.metadata("metadata"));
  }
}
