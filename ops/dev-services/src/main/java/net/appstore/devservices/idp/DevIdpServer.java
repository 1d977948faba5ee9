package net.appstore.devservices.idp;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A development identity provider: serves its JWKS and discovery document and hands out access
 * tokens to anyone who asks, for any user name. That is only acceptable because it listens on the
 * loopback interface and exists for the local stack and tests; it refuses any other address.
 *
 * <ul>
 *   <li>{@code GET /.well-known/openid-configuration}: issuer, {@code jwks_uri}, {@code
 *       token_endpoint};
 *   <li>{@code GET /.well-known/jwks.json}: the public signing key;
 *   <li>{@code POST /token} (form: {@code username}, optional {@code role} = {@code user} | {@code
 *       operator}, {@code audience}, {@code expires_in} seconds): {@code {"access_token",
 *       "token_type": "Bearer", "expires_in"}};
 *   <li>{@code GET /__lbheartbeat__}: the process answers.
 * </ul>
 *
 * <p>Thread-safe; stop it with {@link #close()}.
 */
public final class DevIdpServer implements AutoCloseable {

  private static final int MAX_FORM_BYTES = 4096;

  private final HttpServer server;
  private final ExecutorService executor;
  private final TokenIssuer issuer;
  private final IdpKey key;
  private final URI baseUri;

  private DevIdpServer(
      HttpServer server,
      ExecutorService executor,
      IdpKey key,
      URI baseUri,
      Clock clock,
      String issuerName) {
    this.server = server;
    this.executor = executor;
    this.key = key;
    this.baseUri = baseUri;
    this.issuer =
        new TokenIssuer(key, issuerName != null ? issuerName : stripSlash(baseUri), clock);
  }

  /**
   * Starts the server.
   *
   * @param port 0 for any free port
   * @param sslContext the server certificate for HTTPS, or null for plain HTTP
   * @param issuer the {@code iss} of its tokens, or null for its own base URL
   */
  public static DevIdpServer start(
      InetAddress bindAddress,
      int port,
      SSLContext sslContext,
      IdpKey key,
      String issuer,
      Clock clock) {
    if (!bindAddress.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "the development IdP gives tokens to anyone; it binds to a loopback address only, not "
              + bindAddress);
    }
    try {
      InetSocketAddress address = new InetSocketAddress(bindAddress, port);
      HttpServer server;
      if (sslContext != null) {
        HttpsServer https = HttpsServer.create(address, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        server = https;
      } else {
        server = HttpServer.create(address, 64);
      }
      ExecutorService executor = Executors.newFixedThreadPool(4);
      server.setExecutor(executor);
      String host =
          bindAddress.getHostAddress().equals("127.0.0.1")
              ? "localhost"
              : bindAddress.getHostAddress();
      URI base =
          URI.create(
              (sslContext != null ? "https" : "http")
                  + "://"
                  + host
                  + ":"
                  + server.getAddress().getPort()
                  + "/");
      DevIdpServer idp = new DevIdpServer(server, executor, key, base, clock, issuer);
      server.createContext("/.well-known/jwks.json", idp.get(idp::jwks));
      server.createContext("/.well-known/openid-configuration", idp.get(idp::discovery));
      server.createContext("/__lbheartbeat__", idp.get(() -> "{}"));
      server.createContext("/token", idp::token);
      server.start();
      return idp;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the development IdP on port " + port, e);
    }
  }

  /** {@code https://localhost:PORT/} (or {@code http://...} without TLS). */
  public URI baseUri() {
    return baseUri;
  }

  public String issuer() {
    return issuer.issuer();
  }

  public URI jwksUri() {
    return baseUri.resolve(".well-known/jwks.json");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Mints a token directly, without HTTP (tests). */
  public String issue(TokenRequest request) {
    return issuer.issue(request);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private String jwks() {
    return key.publicJwks().toString();
  }

  private String discovery() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer.issuer());
    doc.put("jwks_uri", jwksUri().toString());
    doc.put("token_endpoint", baseUri.resolve("token").toString());
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    doc.put("grant_types_supported", List.of("urn:appstore:dev:any-user"));
    return JSONObjectUtils.toJSONString(doc);
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, error("invalid_request", "use POST"));
        return;
      }
      byte[] body = exchange.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
      if (body.length > MAX_FORM_BYTES) {
        respond(exchange, 413, error("invalid_request", "form too large"));
        return;
      }
      Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
      TokenRequest request;
      try {
        String username = form.get("username");
        if (username == null) {
          throw new IllegalArgumentException("username is required");
        }
        request =
            new TokenRequest(
                username,
                Role.parse(form.getOrDefault("role", "user")),
                form.getOrDefault("audience", TokenRequest.DEFAULT_AUDIENCE),
                form.containsKey("expires_in")
                    ? Duration.ofSeconds(Long.parseLong(form.get("expires_in")))
                    : TokenRequest.DEFAULT_LIFETIME);
      } catch (IllegalArgumentException e) {
        respond(exchange, 400, error("invalid_request", e.getMessage()));
        return;
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("access_token", issuer.issue(request));
      answer.put("token_type", "Bearer");
      answer.put("expires_in", request.lifetime().toSeconds());
      respond(exchange, 200, JSONObjectUtils.toJSONString(answer));
    }
  }

  private HttpHandler get(java.util.function.Supplier<String> body) {
    return exchange -> {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
          respond(exchange, 405, error("invalid_request", "use GET"));
          return;
        }
        respond(exchange, 200, body.get());
      }
    };
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String error(String code, String description) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("error", code);
    error.put("error_description", description);
    return JSONObjectUtils.toJSONString(error);
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.putIfAbsent(name, value);
    }
    return form;
  }

  private static String stripSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
