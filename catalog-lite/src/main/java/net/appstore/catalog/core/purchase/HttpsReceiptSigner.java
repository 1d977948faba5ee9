package net.appstore.catalog.core.purchase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import net.appstore.catalog.core.SignerEndpoint;

/**
 * Asks the signer service for a receipt: {@code POST {signer}/v1/receipts} over mutual TLS (the
 * store's client certificate, {@code purchases.signerKeyStorePath}, is its identity there),
 * answered {@code 201 {receipt, jti, kid, exp}}. Any other answer, or none within the timeout
 * (F29), is a {@link ReceiptSigningException}. Thread-safe.
 */
public final class HttpsReceiptSigner implements ReceiptSigner {

  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  private final SignerEndpoint endpoint;
  private final ObjectMapper json;

  public HttpsReceiptSigner(
      URI signerUrl, SSLContext mutualTls, Duration timeout, ObjectMapper json) {
    this.endpoint = new SignerEndpoint(signerUrl, "v1/receipts", mutualTls, timeout, json);
    this.json = json;
  }

  @Override
  public SignedReceipt sign(ReceiptOrder order) throws ReceiptSigningException {
    ObjectNode body = json.createObjectNode();
    body.put("purchase_id", order.purchaseId());
    body.put("typ", "purchase-receipt");
    body.putObject("product").put("url", order.productUrl()).put("storedata", order.storedata());
    body.putObject("user").put("type", "directed-identifier").put("value", order.directedUser());
    body.put("nbf", order.nbf().getEpochSecond());
    body.putObject("price")
        .put("amount", order.amount().toPlainString())
        .put("currency", order.currency());
    HttpResponse<String> response;
    try {
      response = endpoint.post(body, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ReceiptSigningException("signer unreachable: " + e, DEFAULT_RETRY_AFTER, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReceiptSigningException("interrupted", DEFAULT_RETRY_AFTER, e);
    }
    if (response.statusCode() != 201) {
      Duration retryAfter =
          response
              .headers()
              .firstValue("Retry-After")
              .flatMap(HttpsReceiptSigner::seconds)
              .orElse(DEFAULT_RETRY_AFTER);
      throw new ReceiptSigningException(
          "signer answered " + response.statusCode(), retryAfter, null);
    }
    try {
      JsonNode answer = json.readTree(response.body());
      String receipt = answer.path("receipt").asText("");
      String jti = answer.path("jti").asText("");
      String kid = answer.path("kid").asText("");
      long exp = answer.path("exp").asLong(0);
      if (receipt.isEmpty() || jti.isEmpty() || kid.isEmpty() || exp <= 0) {
        throw new ReceiptSigningException("signer answer incomplete", DEFAULT_RETRY_AFTER, null);
      }
      return new SignedReceipt(receipt, jti, kid, Instant.ofEpochSecond(exp));
    } catch (IOException e) {
      throw new ReceiptSigningException("signer answer is not JSON", DEFAULT_RETRY_AFTER, e);
    }
  }

  private static java.util.Optional<Duration> seconds(String value) {
    try {
      return java.util.Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim()))));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
