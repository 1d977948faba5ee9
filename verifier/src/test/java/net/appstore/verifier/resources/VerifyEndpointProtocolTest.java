package net.appstore.verifier.resources;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import net.appstore.receipt.Receipt;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.verifier.testing.JwksServer;
import net.appstore.verifier.testing.PurchaseRows;
import net.appstore.verifier.testing.RunningVerifier;
import net.appstore.verifier.testing.TestReceipts;
import net.appstore.verifier.testing.VerifyClient;
import net.appstore.verifier.testing.VerifyClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract around a verdict: body forms, CORS, request ids, and the admin port. */
@PostgresTest
class VerifyEndpointProtocolTest {

  private static JwksServer jwks;
  private static RunningVerifier verifier;
  private static VerifyClient client;
  private static String token;

  @BeforeAll
  static void start(PostgresTestDatabase database) {
    PurchaseRows purchases = PurchaseRows.install(database);
    Receipt receipt = TestReceipts.fixture().build();
    purchases.insertReplicated(receipt.jti(), "COMPLETED");
    token = TestReceipts.signRs256(receipt);
    jwks = JwksServer.serving(VECTORS.keySet());
    verifier = RunningVerifier.builder().jwks(jwks).database(database).start();
    client = verifier.client();
  }

  @AfterAll
  static void stop() {
    verifier.close();
    jwks.close();
  }

  @Test
  void verify_tokenAsTextJsonOrWithoutContentType_sameVerdict() {
    assertThat(client.verify(token).status()).isEqualTo("ok");
    assertThat(client.verifyJson(token).status()).isEqualTo("ok");
    assertThat(client.postJson("{\"app\":{\"v\":[1,2]},\"receipt\":\"" + token + "\"}").status())
        .isEqualTo("ok");
    Answer untyped = client.send(client.request().POST(HttpRequest.BodyPublishers.ofString(token)));
    assertThat(untyped.status()).isEqualTo("ok");
  }

  @Test
  void verify_jsonBodyNotShapedLikeAReceipt_invalidErrorDecoding() {
    List<String> bodies =
        List.of(
            "",
            "[]",
            "{}",
            "\"" + token + "\"",
            "{\"receipt\":5}",
            "{\"receipt\":null}",
            "{\"receipt\":\"" + token + "\",\"receipt\":\"" + token + "\"}",
            "{\"receipt\":\"" + token + "\"} {}",
            "{\"receipt\":\"" + token + "\"",
            token);
    for (String body : bodies) {
      Answer answer = client.postJson(body);
      assertThat(answer.httpStatus()).as(body).isEqualTo(200);
      assertThat(answer.status()).as(body).isEqualTo("invalid");
      assertThat(answer.reason()).as(body).isEqualTo("ERROR_DECODING");
    }
  }

  @Test
  void verify_emptyTextBody_invalidErrorDecoding() {
    assertThat(client.verify("").reason()).isEqualTo("ERROR_DECODING");
  }

  @Test
  void preflight_fromAnyOrigin_allowedWithoutCredentials() {
    Answer answer =
        client.send(
            client
                .request()
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(answer.httpStatus()).isEqualTo(204);
    assertThat(answer.header("Access-Control-Allow-Origin")).contains("*");
    assertThat(answer.header("Access-Control-Allow-Methods").orElse("")).contains("POST");
    assertThat(answer.header("Access-Control-Allow-Headers").orElse("")).contains("Content-Type");
    assertThat(answer.header("Access-Control-Allow-Credentials")).isEmpty();
  }

  @Test
  void verify_fromABrowser_everyAnswerCarriesCorsHeaders() {
    Answer ok = client.send(browserPost(token));
    Answer invalid = client.send(browserPost("garbage"));
    Answer tooLarge = client.send(browserPost("A".repeat(64 * 1024)));
    for (Answer answer : List.of(ok, invalid, tooLarge)) {
      assertThat(answer.header("Access-Control-Allow-Origin")).as(answer.toString()).contains("*");
      assertThat(answer.header("Access-Control-Expose-Headers").orElse("")).contains("Retry-After");
    }
    assertThat(tooLarge.httpStatus()).isEqualTo(413);
  }

  @Test
  void verify_callersRequestId_echoed() {
    Answer answer =
        client.send(
            client
                .request()
                .header("X-Request-Id", "app-trace-12345678")
                .POST(HttpRequest.BodyPublishers.ofString(token)));
    assertThat(answer.header("X-Request-Id")).contains("app-trace-12345678");
  }

  // The HTTP around a verdict, as the Jersey resource answered it before POST /v1/verify became a
  // plain servlet (recorded against that resource, so the switch changed none of it).

  @Test
  void verify_otherMethods_405WithAllowAndDropwizardErrorBody() {
    for (String method : List.of("GET", "PUT", "DELETE")) {
      Answer answer =
          client.send(client.request().method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(answer.httpStatus()).as(method).isEqualTo(405);
      assertThat(answer.header("Allow")).contains("POST,OPTIONS");
      assertThat(answer.body().toString())
          .isEqualTo("{\"code\":405,\"message\":\"HTTP 405 Method Not Allowed\"}");
    }
  }

  @Test
  void options_withoutPreflightHeaders_200ListsMethods() {
    Answer answer =
        client.send(client.request().method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(answer.httpStatus()).isEqualTo(200);
    assertThat(answer.header("Allow")).contains("POST,OPTIONS");
  }

  @Test
  void verify_acceptRulingOutJson_406() {
    Answer refused =
        client.send(
            client
                .request()
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(token)));
    assertThat(refused.httpStatus()).isEqualTo(406);
    assertThat(refused.body().path("code").asInt()).isEqualTo(406);
    Answer lowQuality =
        client.send(
            client
                .request()
                .header("Accept", "text/plain, application/json;q=0.1")
                .POST(HttpRequest.BodyPublishers.ofString(token)));
    assertThat(lowQuality.status()).isEqualTo("ok");
  }

  @Test
  void verify_unparsableContentType_400() {
    Answer answer =
        client.send(
            client
                .request()
                .header("Content-Type", "nonsense")
                .POST(HttpRequest.BodyPublishers.ofString(token)));
    assertThat(answer.httpStatus()).isEqualTo(400);
  }

  @Test
  void verify_jsonContentTypeInUpperCase_readAsJson() {
    Answer answer =
        client.send(
            client
                .request()
                .header("Content-Type", "Application/JSON")
                .POST(HttpRequest.BodyPublishers.ofString("{\"receipt\":\"" + token + "\"}")));
    assertThat(answer.status()).isEqualTo("ok");
  }

  @Test
  void verify_trailingSlashOrQuery_sameEndpoint_otherPaths404() {
    URI base = verifier.verifyUri();
    for (String uri : List.of(base + "/", base + "?source=app")) {
      Answer answer =
          client.send(
              HttpRequest.newBuilder(URI.create(uri))
                  .POST(HttpRequest.BodyPublishers.ofString(token)));
      assertThat(answer.status()).as(uri).isEqualTo("ok");
      assertThat(answer.header("Content-Type")).as(uri).contains("application/json");
      assertThat(answer.header("Cache-Control")).as(uri).contains("no-store");
    }
    Answer other =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "x"))
                .POST(HttpRequest.BodyPublishers.ofString(token)));
    assertThat(other.httpStatus()).isEqualTo(404);
  }

  @Test
  void admin_healthyService_heartbeatReportsKeysAndReplica() {
    HttpResponse<String> heartbeat = verifier.adminGet("/__heartbeat__");
    assertThat(heartbeat.statusCode()).as(heartbeat.body()).isEqualTo(200);
    assertThat(heartbeat.body()).contains("key-set", "purchase-replica", "replica lag");
    assertThat(verifier.adminGet("/__lbheartbeat__").statusCode()).isEqualTo(200);
    assertThat(verifier.adminGet("/__version__").body()).contains("\"name\":\"verifier\"");
  }

  @Test
  void admin_prometheusMetrics_countVerificationsKeysReplicaAndFallbacks() {
    client.verify(token);
    client.verify("garbage");
    String metrics = verifier.adminGet("/metrics/prometheus").body();
    assertThat(metrics)
        .contains(
            "verifier_verifications_ok ",
            "verifier_verifications_invalid_ERROR_DECODING ",
            "verifier_verifications_pending_NOT_YET_REPLICATED ",
            "verifier_verifications_unavailable_KEYS_UNAVAILABLE ",
            "verifier_keys_age_seconds ",
            "verifier_keys_fetches_succeeded ",
            "verifier_keys_fetches_failed ",
            "verifier_replica_lag_seconds ",
            "verifier_purchases_primary_reads_replica_down ",
            "bulkhead_primary_fallback_rejected ");
  }

  private static HttpRequest.Builder browserPost(String body) {
    return client
        .request()
        .header("Origin", "https://app.example")
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }
}
