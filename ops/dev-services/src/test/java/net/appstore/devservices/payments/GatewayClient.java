package net.appstore.devservices.payments;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A plain HTTP client of the simulator, as the store's gateway client would talk to it. */
final class GatewayClient {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  GatewayClient(URI base) {
    this.base = base;
  }

  static String chargeBody(String amount, String currency, String purchaseId) {
    return "{\"amount\":\""
        + amount
        + "\",\"currency\":\""
        + currency
        + "\",\"description\":\"app purchase\",\"metadata\":{\"purchase_id\":\""
        + purchaseId
        + "\"}}";
  }

  HttpResponse<String> charge(String key, String body) throws IOException, InterruptedException {
    return charge(key, body, DEFAULT_TIMEOUT);
  }

  HttpResponse<String> charge(String key, String body, Duration timeout)
      throws IOException, InterruptedException {
    return post("/v1/charges", key, body, timeout);
  }

  HttpResponse<String> refund(String chargeId, String key, String body)
      throws IOException, InterruptedException {
    return post("/v1/charges/" + chargeId + "/refunds", key, body, DEFAULT_TIMEOUT);
  }

  HttpResponse<String> post(String path, String key, String body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(DEFAULT_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST /__faults__/NAME} with {@code on} or {@code off}; {@code query} may be "". */
  HttpResponse<String> fault(String name, String state, String query)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve("/__faults__/" + name + query))
            .timeout(DEFAULT_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(state))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void clearFaults() throws IOException, InterruptedException {
    http.send(
        HttpRequest.newBuilder(base.resolve("/__faults__")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The charge recorded under {@code key}, as the store resolves a timeout. */
  Optional<Map<String, Object>> lookup(String key) throws Exception {
    HttpResponse<String> response = get("/v1/charges?idempotency_key=" + key);
    if (response.statusCode() != 200) {
      throw new AssertionError("lookup answered " + response.statusCode() + ": " + response.body());
    }
    List<Object> data = JSONObjectUtils.getJSONArray(json(response), "data");
    return data.isEmpty() ? Optional.empty() : Optional.of(object(data.get(0)));
  }

  /** Every charge in the ledger, following {@code has_more} page by page. */
  List<Map<String, Object>> allCharges(int pageSize) throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    String cursor = null;
    while (true) {
      Map<String, Object> page =
          json(
              get(
                  "/v1/charges?limit="
                      + pageSize
                      + (cursor == null ? "" : "&starting_after=" + cursor)));
      for (Object charge : JSONObjectUtils.getJSONArray(page, "data")) {
        all.add(object(charge));
      }
      if (!JSONObjectUtils.getBoolean(page, "has_more")) {
        return all;
      }
      cursor = (String) all.get(all.size() - 1).get("id");
    }
  }

  static Map<String, Object> json(HttpResponse<String> response) throws ParseException {
    return JSONObjectUtils.parse(response.body());
  }

  /** The {@code error} object of an error response. */
  static Map<String, Object> error(HttpResponse<String> response) throws ParseException {
    return JSONObjectUtils.getJSONObject(json(response), "error");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object json) {
    return (Map<String, Object>) json;
  }
}
