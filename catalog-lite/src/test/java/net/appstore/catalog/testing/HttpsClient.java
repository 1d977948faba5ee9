package net.appstore.catalog.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A real HTTPS client trusting the test CA, with small helpers for JSON APIs. */
public final class HttpsClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient client;

  public HttpsClient(URI base) {
    this.base = base;
    this.client = newClient();
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .sslContext(TestTls.client())
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public URI base() {
    return base;
  }

  public HttpClient raw() {
    return client;
  }

  /** GET with headers given as name, value, name, value... */
  public Reply get(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.GET().build());
  }

  public Reply post(String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /**
   * Requests with a body go over a connection of their own. A refusal (401, 403, ...) is often sent
   * before the body was read, and Jetty may then drop the connection to skip the rest; the JDK
   * client does not retry a POST, so a request that reused that connection got no answer at all
   * ("header parser received no bytes"), a flaky failure of these tests, not of the service.
   */
  public Reply send(HttpRequest request) {
    HttpClient http = request.bodyPublisher().isPresent() ? newClient() : client;
    try {
      return new Reply(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body as text. */
  public record Reply(HttpResponse<String> response) {

    public int status() {
      return response.statusCode();
    }

    public String body() {
      return response.body();
    }

    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + response.body(), e);
      }
    }

    @Override
    public String toString() {
      return response.statusCode() + " " + response.body();
    }
  }
}
