package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import net.appstore.catalog.core.SignerEndpoint;

/**
 * Asks the signer service to sign a blocklist: {@code POST {signer}/v1/blocklists} over mutual TLS
 * (the catalog's client certificate is its identity there) with {@code {"document": {...}}}; the
 * signer answers {@code 201 {"token", "kid"}} with the compact JWS of the document's RFC 8785 form.
 * Every call has a timeout below the publication job's schedule (F29). Thread-safe.
 */
public final class HttpsBlocklistSigner implements BlocklistSigner {

  private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  private final SignerEndpoint endpoint;
  private final ObjectMapper json;

  /**
   * @param signerUrl the signer's base URL, e.g. {@code https://signer.internal:8443}
   * @param mutualTls a context with the catalog's client key and the signer's trust anchors
   */
  public HttpsBlocklistSigner(
      URI signerUrl, SSLContext mutualTls, Duration timeout, ObjectMapper json) {
    this.endpoint = new SignerEndpoint(signerUrl, "v1/blocklists", mutualTls, timeout, json);
    this.json = json;
  }

  @Override
  public SignedBlocklist sign(ObjectNode document) throws BlocklistSigningException {
    ObjectNode body = json.createObjectNode();
    body.set("document", document);
    HttpResponse<byte[]> response;
    try {
      response = endpoint.post(body, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new BlocklistSigningException("signer at " + endpoint.uri() + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlocklistSigningException("interrupted while waiting for the signer", e);
    }
    if (response.statusCode() != 201) {
      throw new BlocklistSigningException(
          "signer answered " + response.statusCode() + retryHint(response));
    }
    if (response.body().length > MAX_RESPONSE_BYTES) {
      throw new BlocklistSigningException("signer answer too large");
    }
    try {
      JsonNode answer = json.readTree(response.body());
      JsonNode token = answer.get("token");
      JsonNode kid = answer.get("kid");
      if (token == null || !token.isTextual() || kid == null || !kid.isTextual()) {
        throw new BlocklistSigningException("signer answer lacks token or kid");
      }
      return new SignedBlocklist(token.textValue(), kid.textValue());
    } catch (IOException e) {
      throw new BlocklistSigningException("signer answer is not JSON", e);
    }
  }

  private static String retryHint(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(s -> " (Retry-After " + s + ")")
        .orElse("");
  }
}
