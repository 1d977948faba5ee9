package net.appstore.catalog.purchase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A stand-in for the signer service's receipt contract over mutual TLS (the real signer was not
 * runnable from this module's tests when the flow was written): {@code POST /v1/receipts} answers
 * {@code 201 {receipt, jti, kid, exp}} signed with a software RS256 key; the same purchase_id with
 * the same body answers the same receipt, with another body 409; can be told to answer 503 with
 * Retry-After (F20) or to be slow.
 */
final class StandInReceiptSigner implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final RSAKey key;
  private final Map<String, String[]> issued = new ConcurrentHashMap<>();
  private final AtomicInteger unavailableAnswers = new AtomicInteger();
  private final AtomicInteger signed = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;

  StandInReceiptSigner(SSLContext serverTls) throws Exception {
    key = new RSAKeyGenerator(2048).keyID("stand-in-receipt-1").generate();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(
        new HttpsConfigurator(serverTls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters ssl = serverTls.getDefaultSSLParameters();
            ssl.setNeedClientAuth(true);
            params.setSSLParameters(ssl);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/v1/receipts", this::sign);
    server.start();
  }

  URI baseUri() {
    return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
  }

  RSAKey publicKey() {
    return key.toPublicJWK();
  }

  /** The next {@code n} requests get 503. */
  void unavailableFor(int n) {
    unavailableAnswers.set(n);
  }

  void delay(Duration delay) {
    this.delay = delay;
  }

  int receiptsSigned() {
    return signed.get();
  }

  private void sign(HttpExchange exchange) throws IOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (unavailableAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      exchange.getResponseHeaders().set("Retry-After", "7");
      respond(exchange, 503, "{\"error\":\"service unavailable\",\"reason\":\"HSM_UNAVAILABLE\"}");
      return;
    }
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    String purchaseId = body.path("purchase_id").asText("");
    if (purchaseId.isEmpty() || !body.path("user").path("value").isTextual()) {
      respond(exchange, 400, "{\"error\":\"bad request\"}");
      return;
    }
    String claims = body.toString();
    String[] answer =
        issued.computeIfAbsent(purchaseId, id -> new String[] {claims, newReceipt(body)});
    if (!answer[0].equals(claims)) {
      respond(exchange, 409, "{\"error\":\"conflict\",\"reason\":\"PURCHASE_CONFLICT\"}");
      return;
    }
    respond(exchange, 201, answer[1]);
  }

  private String newReceipt(JsonNode body) {
    try {
      Instant now = Instant.now();
      Instant exp = now.plus(Duration.ofDays(180));
      String jti = UUID.randomUUID().toString();
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .claim("typ", body.get("typ").asText())
              .claim("product", JSON.convertValue(body.get("product"), Map.class))
              .claim("user", JSON.convertValue(body.get("user"), Map.class))
              .issuer("https://store.test")
              .notBeforeTime(Date.from(Instant.ofEpochSecond(body.get("nbf").asLong())))
              .issueTime(Date.from(now))
              .expirationTime(Date.from(exp))
              .jwtID(jti)
              .build();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(new JOSEObjectType("receipt+jwt"))
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      signed.incrementAndGet();
      return JSON.createObjectNode()
          .put("receipt", jwt.serialize())
          .put("jti", jti)
          .put("kid", key.getKeyID())
          .put("exp", exp.getEpochSecond())
          .toString();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
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
