package net.appstore.catalog.core.purchase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link PaymentGateway} over the gateway's JSON API (Stripe-like, see ops/dev-services
 * PAYMENTS.md). Every call has a timeout below the store's own request timeout (F29). Thread-safe.
 */
public final class HttpPaymentGateway implements PaymentGateway {

  private final URI base;
  private final HttpClient client;
  private final Duration timeout;
  private final ObjectMapper json;

  public HttpPaymentGateway(URI base, Duration timeout, ObjectMapper json) {
    String url = base.toString();
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.timeout = timeout;
    this.json = json;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  @Override
  public GatewayCharge charge(
      String idempotencyKey, BigDecimal amount, String currency, String purchaseId)
      throws GatewayUnavailableException, ChargeOutcomeUnknownException {
    ObjectNode body = json.createObjectNode();
    body.put("amount", amount.toPlainString());
    body.put("currency", currency);
    body.put("description", "Purchase " + purchaseId);
    body.putObject("metadata").put("purchase_id", purchaseId);
    HttpResponse<String> response = post("v1/charges", idempotencyKey, body);
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      return parseChargeUnknown(readUnknown(response));
    }
    return refusedOrUnknown(response);
  }

  @Override
  public Optional<GatewayCharge> lookup(String idempotencyKey)
      throws ChargeOutcomeUnknownException {
    URI uri =
        base.resolve(
            "v1/charges?idempotency_key="
                + URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ChargeOutcomeUnknownException("charge lookup failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChargeOutcomeUnknownException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new ChargeOutcomeUnknownException(
          "charge lookup answered " + response.statusCode(), null);
    }
    JsonNode data = readUnknown(response).path("data");
    if (!data.isArray() || data.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parseChargeUnknown(data.get(0)));
  }

  @Override
  public void refund(String chargeId, String idempotencyKey)
      throws GatewayUnavailableException, ChargeOutcomeUnknownException {
    HttpResponse<String> response =
        post("v1/charges/" + chargeId + "/refunds", idempotencyKey, json.createObjectNode());
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      return;
    }
    if (status == 409 && response.body().contains("charge_already_refunded")) {
      return;
    }
    refusedOrUnknown(response);
  }

  private HttpResponse<String> post(String path, String idempotencyKey, JsonNode body)
      throws GatewayUnavailableException, ChargeOutcomeUnknownException {
    try {
      return client.send(
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", idempotencyKey)
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new GatewayUnavailableException("payment gateway unreachable: " + e);
    } catch (IOException e) {
      throw new ChargeOutcomeUnknownException("payment gateway call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChargeOutcomeUnknownException("interrupted", e);
    }
  }

  /** 500 means the outcome is unknown; 503 and 4xx mean nothing was processed. */
  private GatewayCharge refusedOrUnknown(HttpResponse<String> response)
      throws GatewayUnavailableException, ChargeOutcomeUnknownException {
    int status = response.statusCode();
    if (status >= 500 && status != 503) {
      throw new ChargeOutcomeUnknownException("payment gateway answered " + status, null);
    }
    throw new GatewayUnavailableException(
        "payment gateway refused (" + status + "): " + errorCode(response));
  }

  private String errorCode(HttpResponse<String> response) {
    try {
      return json.readTree(response.body()).path("error").path("code").asText("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private JsonNode readUnknown(HttpResponse<String> response) throws ChargeOutcomeUnknownException {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new ChargeOutcomeUnknownException("payment gateway answer is not JSON", e);
    }
  }

  private static GatewayCharge parseChargeUnknown(JsonNode charge)
      throws ChargeOutcomeUnknownException {
    String id = charge.path("id").asText("");
    String status = charge.path("status").asText("");
    if (id.isEmpty() || status.isEmpty()) {
      throw new ChargeOutcomeUnknownException("payment gateway answer lacks id or status", null);
    }
    return new GatewayCharge(id, status);
  }

  @Override
  public LedgerPage ledger(String startingAfter, int limit) throws ChargeOutcomeUnknownException {
    String query =
        "v1/charges?limit="
            + limit
            + (startingAfter == null
                ? ""
                : "&starting_after=" + URLEncoder.encode(startingAfter, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(base.resolve(query)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ChargeOutcomeUnknownException("ledger listing failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChargeOutcomeUnknownException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new ChargeOutcomeUnknownException(
          "ledger listing answered " + response.statusCode(), null);
    }
    JsonNode page = readUnknown(response);
    java.util.List<LedgerPage.Entry> entries = new java.util.ArrayList<>();
    for (JsonNode charge : page.path("data")) {
      entries.add(
          new LedgerPage.Entry(
              charge.path("id").asText(),
              charge.path("status").asText(),
              charge.path("idempotency_key").asText()));
    }
    return new LedgerPage(entries, page.path("has_more").asBoolean(false));
  }
}
