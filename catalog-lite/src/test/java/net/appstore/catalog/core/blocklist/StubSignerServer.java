package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The signer service's blocklist contract, as agreed, until the real signer exists: {@code POST
 * /v1/blocklists} over mutual TLS with {@code {"document": {...}}} answers {@code 201 {"token",
 * "kid"}}; {@code GET /.well-known/jwks.json} serves the key. Signs with {@link
 * SoftwareBlocklistSigner}. Can be told to answer 503.
 */
final class StubSignerServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpsServer server;
  private final SoftwareBlocklistSigner signer = new SoftwareBlocklistSigner("stub-blocklist-1");
  private final AtomicInteger unavailableAnswers = new AtomicInteger();

  StubSignerServer(SSLContext serverTls) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(
        new HttpsConfigurator(serverTls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters ssl = serverTls.getDefaultSSLParameters();
            ssl.setNeedClientAuth(true);
            params.setSSLParameters(ssl);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/v1/blocklists", this::sign);
    server.createContext(
        "/.well-known/jwks.json", exchange -> respond(exchange, 200, signer.jwks().toString()));
    server.start();
  }

  URI baseUri() {
    return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
  }

  URI jwksUri() {
    return baseUri().resolve(".well-known/jwks.json");
  }

  /** The next {@code n} signing requests get 503. */
  void unavailableFor(int n) {
    unavailableAnswers.set(n);
  }

  String jwksJson() {
    return signer.jwks().toString();
  }

  private void sign(HttpExchange exchange) throws IOException {
    if (unavailableAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      exchange.getResponseHeaders().set("Retry-After", "5");
      respond(exchange, 503, "{\"error\":\"service unavailable\",\"reason\":\"HSM_UNAVAILABLE\"}");
      return;
    }
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    if (!"POST".equals(exchange.getRequestMethod()) || !body.path("document").isObject()) {
      respond(exchange, 400, "{\"error\":\"document required\"}");
      return;
    }
    try {
      SignedBlocklist signed = signer.sign((ObjectNode) body.get("document"));
      ObjectNode answer =
          JSON.createObjectNode().put("token", signed.token()).put("kid", signed.kid());
      respond(exchange, 201, answer.toString());
    } catch (BlocklistSigningException e) {
      respond(exchange, 500, "{}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    try (exchange) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
