package net.appstore.verifier.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * An app calling {@code POST /v1/verify} over real HTTPS (HTTP/1.1, keep-alive), trusting the test
 * CA.
 */
public final class VerifyClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI verifyUri;
  private final HttpClient http;

  public VerifyClient(URI verifyUri) {
    this.verifyUri = verifyUri;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(TestTls.trustingTestCa())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** What the verifier said. */
  public record Answer(int httpStatus, JsonNode body, HttpHeaders headers) {

    /** {@code status} of the body ({@code ok}, {@code invalid}, ...), or empty. */
    public String status() {
      return body.path("status").asText("");
    }

    public String reason() {
      return body.path("reason").asText("");
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    @Override
    public String toString() {
      return httpStatus + " " + body;
    }
  }

  /**
   * Sends only the request head of a {@code text/plain} POST declaring {@code token}'s length, over
   * a raw TLS socket, and reads the answer: what a service that refuses an oversized body on its
   * declared length answers without reading it. (Sending the body too races the refusal: the
   * service answers and closes while the client is still writing.)
   */
  public Answer declareOnly(String token) {
    byte[] body = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head =
        "POST "
            + verifyUri.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + verifyUri.getHost()
            + ":"
            + verifyUri.getPort()
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            TestTls.trustingTestCa()
                .getSocketFactory()
                .createSocket(verifyUri.getHost(), verifyUri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("{");
      JsonNode json =
          bodyStart < 0
              ? JSON.createObjectNode()
              : JSON.readTree(response.substring(bodyStart, response.lastIndexOf('}') + 1));
      return new Answer(status, json, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The token as a {@code text/plain} body. */
  public Answer verify(String token) {
    return send(
        request()
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(token)));
  }

  /** The token as {@code {"receipt": token}}. */
  public Answer verifyJson(String token) {
    return postJson(JSON.createObjectNode().put("receipt", token).toString());
  }

  public Answer postJson(String json) {
    return send(
        request()
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpRequest.Builder request() {
    return HttpRequest.newBuilder(verifyUri).timeout(Duration.ofSeconds(30));
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      JsonNode json =
          body.isEmpty()
              ? JSON.createObjectNode()
              : JSON.readTree(body.startsWith("{") ? body : "{}");
      return new Answer(response.statusCode(), json, response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A plain GET or POST on another URL (admin endpoints), body as text. */
  public static HttpResponse<String> call(HttpRequest request) {
    try {
      return HttpClient.newBuilder()
          .sslContext(TestTls.trustingTestCa())
          .build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
