package net.appstore.catalog.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import net.appstore.service.RequestIdFilter;

/**
 * One endpoint of the signer, reached over mutual TLS with a timeout below the caller's (F29),
 * carrying the current request id so a purchase can be followed into the signer's log. Thread-safe.
 */
public final class SignerEndpoint {

  private final URI uri;
  private final HttpClient client;
  private final Duration timeout;
  private final ObjectMapper json;

  /**
   * @param signerUrl the signer's base URL, e.g. {@code https://signer.internal:8443}
   * @param path the endpoint under it, e.g. {@code v1/receipts}
   * @param mutualTls a context with the caller's client key and the signer's trust anchors
   */
  public SignerEndpoint(
      URI signerUrl, String path, SSLContext mutualTls, Duration timeout, ObjectMapper json) {
    String base = signerUrl.toString();
    this.uri = URI.create(base.endsWith("/") ? base : base + "/").resolve(path);
    this.timeout = timeout;
    this.json = json;
    this.client = HttpClient.newBuilder().sslContext(mutualTls).connectTimeout(timeout).build();
  }

  public URI uri() {
    return uri;
  }

  /** POSTs {@code body} as JSON and returns the answer, whatever its status. */
  public <T> HttpResponse<T> post(ObjectNode body, HttpResponse.BodyHandler<T> answer)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header(RequestIdFilter.HEADER, RequestIdFilter.current())
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build(),
        answer);
  }
}
