package net.appstore.devservices.payments;

import static net.appstore.devservices.payments.GatewayClient.chargeBody;
import static net.appstore.devservices.payments.GatewayClient.error;
import static net.appstore.devservices.payments.GatewayClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The charge, lookup, listing and refund API over real HTTP, without faults. */
class ChargesApiTest {

  @RegisterExtension static final RunningSimulator gateway = new RunningSimulator();

  @Test
  void createCharge_newKey_201SucceededWithTheRequestEchoed() throws Exception {
    String key = newKey();

    HttpResponse<String> response = gateway.client().charge(key, chargeBody("4.99", "EUR", key));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.headers().firstValue("Idempotent-Replayed")).hasValue("false");
    assertThat(response.headers().firstValue("Request-Id")).isPresent();
    Map<String, Object> charge = json(response);
    assertThat((String) charge.get("id")).startsWith("ch_");
    assertThat(charge)
        .containsEntry("object", "charge")
        .containsEntry("status", "succeeded")
        .containsEntry("amount", "4.99")
        .containsEntry("currency", "EUR")
        .containsEntry("idempotency_key", key)
        .containsEntry("metadata", Map.of("purchase_id", key))
        .containsEntry("refund", null)
        .containsKey("created");
  }

  @Test
  void createCharge_sameKeyAndSameBody_200WithTheStoredResult() throws Exception {
    String key = newKey();
    Map<String, Object> first = json(gateway.client().charge(key, chargeBody("5.00", "EUR", key)));

    // "5" is the same amount as "5.00": parameters are compared after normalisation
    HttpResponse<String> again = gateway.client().charge(key, chargeBody("5", "EUR", key));

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(json(again)).isEqualTo(first);
    assertThat(chargesInLedgerFile(key)).isEqualTo(1);
  }

  @Test
  void createCharge_sameKey20TimesConcurrently_oneChargeInTheLedger() throws Exception {
    String key = newKey();
    int requests = 20;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return gateway.client().charge(key, chargeBody("0.99", "USD", key));
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      List<Object> ids = new ArrayList<>();
      for (Future<HttpResponse<String>> future : futures) {
        HttpResponse<String> response = future.get();
        statuses.add(response.statusCode());
        ids.add(json(response).get("id"));
      }

      assertThat(statuses).containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
      assertThat(ids).hasSize(requests).containsOnly(ids.get(0));
      assertThat(gateway.client().lookup(key))
          .get()
          .extracting(c -> c.get("id"))
          .isEqualTo(ids.get(0));
      assertThat(chargesInLedgerFile(key)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void createCharge_sameKeyDifferentBody_422AndNothingNewRecorded() throws Exception {
    String key = newKey();
    gateway.client().charge(key, chargeBody("4.99", "EUR", key));

    HttpResponse<String> response = gateway.client().charge(key, chargeBody("9.99", "EUR", key));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response))
        .containsEntry("type", "idempotency_error")
        .containsEntry("code", "idempotency_key_reused");
    assertThat((String) error(response).get("message")).contains("different amount");
    assertThat(chargesInLedgerFile(key)).isEqualTo(1);
  }

  @Test
  void createCharge_withoutIdempotencyKey_400() throws Exception {
    HttpResponse<String> response = gateway.client().charge(null, chargeBody("4.99", "EUR", "p"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response))
        .containsEntry("code", "parameter_missing")
        .containsEntry("param", "Idempotency-Key");
  }

  static Stream<Arguments> badChargeBodies() {
    return Stream.of(
        bad(
            "amount as a JSON number",
            "{'amount':4.99,'currency':'EUR'}",
            "amount",
            "parameter_invalid"),
        bad(
            "negative amount",
            "{'amount':'-1.00','currency':'EUR'}",
            "amount",
            "parameter_invalid"),
        bad("zero amount", "{'amount':'0.00','currency':'EUR'}", "amount", "amount_too_small"),
        bad(
            "three decimals in EUR",
            "{'amount':'4.999','currency':'EUR'}",
            "amount",
            "parameter_invalid"),
        bad(
            "decimals in JPY",
            "{'amount':'100.5','currency':'JPY'}",
            "amount",
            "parameter_invalid"),
        bad(
            "exponent notation",
            "{'amount':'1e2','currency':'EUR'}",
            "amount",
            "parameter_invalid"),
        bad(
            "over the maximum",
            "{'amount':'1000000.00','currency':'EUR'}",
            "amount",
            "amount_too_large"),
        bad("missing amount", "{'currency':'EUR'}", "amount", "parameter_missing"),
        bad(
            "lower-case currency",
            "{'amount':'4.99','currency':'eur'}",
            "currency",
            "currency_unsupported"),
        bad(
            "unknown currency",
            "{'amount':'4.99','currency':'ABC'}",
            "currency",
            "currency_unsupported"),
        bad("missing currency", "{'amount':'4.99'}", "currency", "parameter_missing"),
        bad(
            "unknown parameter",
            "{'amount':'4.99','currency':'EUR','x':1}",
            "x",
            "parameter_unknown"),
        bad(
            "metadata value not a string",
            "{'amount':'4.99','currency':'EUR','metadata':{'n':1}}",
            "metadata.n",
            "parameter_invalid"),
        bad("body not JSON", "amount=4.99", "body", "body_invalid"),
        bad("JSON array", "[]", "body", "body_invalid"));
  }

  private static Arguments bad(String caseName, String body, String param, String code) {
    return Arguments.of(caseName, body.replace('\'', '"'), param, code);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badChargeBodies")
  void createCharge_badInput_400NamingTheParameterAndNothingRecorded(
      String caseName, String body, String param, String code) throws Exception {
    String key = newKey();

    HttpResponse<String> response = gateway.client().charge(key, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(error(response)).containsEntry("param", param).containsEntry("code", code);
    assertThat(gateway.client().lookup(key)).isEmpty();
  }

  @Test
  void createCharge_badInputThenCorrected_sameKeyCharges() throws Exception {
    String key = newKey();
    gateway.client().charge(key, "{\"amount\":\"4.999\",\"currency\":\"EUR\"}");

    HttpResponse<String> corrected = gateway.client().charge(key, chargeBody("4.99", "EUR", key));

    assertThat(corrected.statusCode()).isEqualTo(201);
  }

  @Test
  void lookupByIdempotencyKey_unknownKey_emptyList() throws Exception {
    HttpResponse<String> response = gateway.client().get("/v1/charges?idempotency_key=" + newKey());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response)).containsEntry("data", List.of()).containsEntry("has_more", false);
  }

  @Test
  void getCharge_unknownId_404() throws Exception {
    HttpResponse<String> response = gateway.client().get("/v1/charges/ch_doesnotexist");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(error(response)).containsEntry("code", "resource_missing");
  }

  @Test
  void listCharges_pagedWithStartingAfter_everyChargeOnceInLedgerOrder() throws Exception {
    List<Object> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String key = newKey();
      created.add(json(gateway.client().charge(key, chargeBody("1.00", "EUR", key))).get("id"));
    }

    List<Object> listed = gateway.client().allCharges(3).stream().map(c -> c.get("id")).toList();

    assertThat(listed).doesNotHaveDuplicates().containsSubsequence(created);
    assertThat(listed.subList(listed.size() - created.size(), listed.size())).isEqualTo(created);
  }

  @Test
  void listCharges_createdGte_onlyChargesCreatedAtOrAfter() throws Exception {
    String first = newKey();
    Map<String, Object> charge =
        json(gateway.client().charge(first, chargeBody("1.00", "EUR", first)));
    Thread.sleep(5);
    String second = newKey();
    gateway.client().charge(second, chargeBody("2.00", "EUR", second));

    Map<String, Object> page =
        json(gateway.client().get("/v1/charges?created_gte=" + charge.get("created")));

    assertThat(page.get("data").toString()).contains(first, second);
    Map<String, Object> later =
        json(gateway.client().get("/v1/charges?created_gte=2999-01-01T00:00:00Z&status=succeeded"));
    assertThat(later).containsEntry("data", List.of());
  }

  @ParameterizedTest
  @CsvSource({
    "limit=0, limit",
    "limit=1001, limit",
    "status=pending, status",
    "created_gte=yesterday, created_gte",
    "starting_after=ch_unknown, starting_after",
    "sort=desc, sort"
  })
  void listCharges_badParameter_400(String query, String param) throws Exception {
    HttpResponse<String> response = gateway.client().get("/v1/charges?" + query);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).containsEntry("param", param);
  }

  @Test
  void refund_sameKeyTwice_oneRefundAndTheChargeRefunded() throws Exception {
    String chargeId = succeededCharge();
    String refundKey = "refund-" + newKey();

    HttpResponse<String> first =
        gateway.client().refund(chargeId, refundKey, "{\"reason\":\"requested\"}");
    HttpResponse<String> again =
        gateway.client().refund(chargeId, refundKey, "{\"reason\":\"requested\"}");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(json(again)).isEqualTo(json(first));
    assertThat(json(first))
        .containsEntry("object", "refund")
        .containsEntry("status", "succeeded")
        .containsEntry("charge", chargeId);
    Map<String, Object> charge = json(gateway.client().get("/v1/charges/" + chargeId));
    assertThat(charge)
        .containsEntry("status", "refunded")
        .containsEntry("refund", json(first).get("id"));
    assertThat(ledgerLines().stream().filter(l -> l.contains("\"type\":\"refund\"")))
        .filteredOn(l -> l.contains(chargeId))
        .hasSize(1);
  }

  @Test
  void refund_otherKeyAfterARefund_409AlreadyRefundedNamingTheRefund() throws Exception {
    String chargeId = succeededCharge();
    Object refundId = json(gateway.client().refund(chargeId, newKey(), "")).get("id");

    HttpResponse<String> second = gateway.client().refund(chargeId, newKey(), "");

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(error(second))
        .containsEntry("code", "charge_already_refunded")
        .containsEntry("refund", refundId);
  }

  @Test
  void refund_partialAmount_400() throws Exception {
    String chargeId = succeededCharge();

    HttpResponse<String> response =
        gateway.client().refund(chargeId, newKey(), "{\"amount\":\"1.00\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).containsEntry("param", "amount");
    assertThat(json(gateway.client().get("/v1/charges/" + chargeId)))
        .containsEntry("status", "succeeded");
  }

  @Test
  void refund_keyOfACharge_422() throws Exception {
    String key = newKey();
    String chargeId =
        (String) json(gateway.client().charge(key, chargeBody("3.00", "EUR", key))).get("id");

    HttpResponse<String> response = gateway.client().refund(chargeId, key, "");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response)).containsEntry("code", "idempotency_key_reused");
  }

  @Test
  void refund_unknownCharge_404() throws Exception {
    HttpResponse<String> response = gateway.client().refund("ch_doesnotexist", newKey(), "");

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void createCharge_replayAfterRefund_answersTheStoredSucceededResult() throws Exception {
    String key = newKey();
    Map<String, Object> created =
        json(gateway.client().charge(key, chargeBody("2.50", "EUR", key)));
    gateway.client().refund((String) created.get("id"), newKey(), "");

    HttpResponse<String> replay = gateway.client().charge(key, chargeBody("2.50", "EUR", key));

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(json(replay)).isEqualTo(created);
    assertThat(gateway.client().lookup(key))
        .get()
        .extracting(c -> c.get("status"))
        .isEqualTo("refunded");
  }

  @Test
  void unknownPathAndWrongMethod_404And405() throws Exception {
    assertThat(gateway.client().get("/v2/charges").statusCode()).isEqualTo(404);
    assertThat(
            gateway
                .client()
                .post("/v1/charges/ch_x", newKey(), "{}", GatewayClient.DEFAULT_TIMEOUT))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(405);
    assertThat(gateway.client().get("/__lbheartbeat__").statusCode()).isEqualTo(200);
  }

  private String succeededCharge() throws Exception {
    String key = newKey();
    HttpResponse<String> response = gateway.client().charge(key, chargeBody("7.00", "EUR", key));
    assertThat(response.statusCode()).isEqualTo(201);
    return (String) json(response).get("id");
  }

  private static String newKey() {
    return "purchase-" + UUID.randomUUID();
  }

  private static List<String> ledgerLines() throws Exception {
    return Files.readAllLines(gateway.simulator().ledgerFile());
  }

  private static long chargesInLedgerFile(String key) throws Exception {
    return ledgerLines().stream()
        .filter(l -> l.contains("\"type\":\"charge\""))
        .filter(l -> l.contains("\"idempotency_key\":\"" + key + "\""))
        .count();
  }
}
