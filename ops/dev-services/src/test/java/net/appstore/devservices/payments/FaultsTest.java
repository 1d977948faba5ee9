package net.appstore.devservices.payments;

import static net.appstore.devservices.payments.GatewayClient.chargeBody;
import static net.appstore.devservices.payments.GatewayClient.error;
import static net.appstore.devservices.payments.GatewayClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each fault switched through the admin endpoint, and what a client sees against what the ledger
 * holds. The ledger is the truth in every case.
 */
class FaultsTest {

  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

  @TempDir static Path dataDir;
  private static PaymentGatewaySimulator simulator;
  private static GatewayClient client;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        PaymentGatewaySimulator.start(
            0,
            dataDir,
            new Faults(),
            Clock.systemUTC(),
            new PrintStream(System.out, true, StandardCharsets.UTF_8));
    client = new GatewayClient(simulator.baseUri());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @AfterEach
  void noFaults() throws Exception {
    client.clearFaults();
  }

  @Test
  void decline_on_chargeRecordedDeclinedAndNothingCharged() throws Exception {
    switchOn("decline", "");
    String key = newKey();

    HttpResponse<String> response = client.charge(key, chargeBody("4.99", "EUR", key));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response))
        .containsEntry("status", "declined")
        .containsEntry("failure_code", "card_declined");
    assertThat(client.lookup(key)).get().extracting(c -> c.get("status")).isEqualTo("declined");
    assertThat(ledgerLine(key)).contains("\"status\":\"declined\"", "\"faults\":[\"decline\"]");
  }

  @Test
  void decline_offAgain_replayStillAnswersTheStoredDecline() throws Exception {
    switchOn("decline", "");
    String key = newKey();
    client.charge(key, chargeBody("4.99", "EUR", key));
    client.fault("decline", "off", "");

    HttpResponse<String> retry = client.charge(key, chargeBody("4.99", "EUR", key));
    String newKey = newKey();
    HttpResponse<String> fresh = client.charge(newKey, chargeBody("4.99", "EUR", newKey));

    assertThat(json(retry)).containsEntry("status", "declined");
    assertThat(json(fresh)).containsEntry("status", "succeeded");
  }

  @Test
  void timeout_on_clientTimesOutThenLookupFindsTheSucceededCharge() throws Exception {
    switchOn("timeout", "");
    String key = newKey();

    assertThatThrownBy(() -> client.charge(key, chargeBody("4.99", "EUR", key), CLIENT_TIMEOUT))
        .isInstanceOf(HttpTimeoutException.class);

    assertThat(client.lookup(key)).get().extracting(c -> c.get("status")).isEqualTo("succeeded");
  }

  @Test
  void timeout_holdShorterThanClientTimeout_clientGetsTheResponseLate() throws Exception {
    switchOn("timeout", "?hold_ms=300");
    String key = newKey();
    long started = System.nanoTime();

    HttpResponse<String> response = client.charge(key, chargeBody("4.99", "EUR", key));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(ms(300));
    assertThat(response.statusCode()).isEqualTo(201);
  }

  /** Regression: a hold set by one switch used to stay for the next switch without one. */
  @Test
  void timeout_switchedOnAgainWithoutHold_defaultHoldAgain() throws Exception {
    switchOn("timeout", "?hold_ms=300");
    client.clearFaults();

    switchOn("timeout", "");

    assertThat(simulator.faults().timeoutHold()).isEqualTo(Faults.DEFAULT_TIMEOUT_HOLD);
  }

  @Test
  void timeout_on_lookupsAnswerAtOnce() throws Exception {
    switchOn("timeout", "");

    assertThat(client.lookup(newKey())).isEmpty();
  }

  @Test
  void lostResponse_on_clientSeesAnIoErrorThenLookupFindsTheCharge() throws Exception {
    switchOn("lost-response", "");
    String key = newKey();

    assertThatThrownBy(() -> client.charge(key, chargeBody("4.99", "EUR", key), CLIENT_TIMEOUT))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);

    Optional<Map<String, Object>> charge = client.lookup(key);
    assertThat(charge).get().extracting(c -> c.get("status")).isEqualTo("succeeded");
  }

  @Test
  void lostResponse_retryWithTheSameKeyAfterRecovery_sameChargeNotASecondOne() throws Exception {
    switchOn("lost-response", "");
    String key = newKey();
    assertThatThrownBy(() -> client.charge(key, chargeBody("4.99", "EUR", key)))
        .isInstanceOf(IOException.class);
    client.fault("lost-response", "off", "");

    HttpResponse<String> retry = client.charge(key, chargeBody("4.99", "EUR", key));

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry).get("id")).isEqualTo(client.lookup(key).orElseThrow().get("id"));
    assertThat(Files.readAllLines(simulator.ledgerFile()))
        .filteredOn(l -> l.contains(key))
        .hasSize(1);
  }

  @Test
  void down_on_every503WithRetryAfterAndNothingRecorded() throws Exception {
    switchOn("down", "");
    String key = newKey();

    HttpResponse<String> charge = client.charge(key, chargeBody("4.99", "EUR", key));
    HttpResponse<String> lookup = client.get("/v1/charges?idempotency_key=" + key);

    assertThat(charge.statusCode()).isEqualTo(503);
    assertThat(charge.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(error(charge)).containsEntry("code", "service_unavailable");
    assertThat(lookup.statusCode()).isEqualTo(503);
    assertThat(client.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
    client.fault("down", "off", "");
    assertThat(client.lookup(key)).isEmpty();
  }

  @Test
  void slow_on_answersAfterTheConfiguredLatency() throws Exception {
    switchOn("slow", "?latency_ms=300");
    String key = newKey();
    long started = System.nanoTime();

    HttpResponse<String> response = client.charge(key, chargeBody("4.99", "EUR", key));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(ms(300));
    assertThat(response.statusCode()).isEqualTo(201);
  }

  /**
   * Why a lookup that finds nothing is not proof: {@code slow} delays a request before it is
   * processed, so a client that gave up can see an empty lookup and the charge land afterwards.
   * Retrying with the same key is what is always safe.
   */
  @Test
  void slow_clientGaveUpBeforeProcessing_lookupEmptyThenTheChargeLands() throws Exception {
    switchOn("slow", "?latency_ms=800");
    String key = newKey();
    assertThatThrownBy(() -> client.charge(key, chargeBody("4.99", "EUR", key), ms(200)))
        .isInstanceOf(HttpTimeoutException.class);
    client.fault("slow", "off", "");

    Optional<Map<String, Object>> early = client.lookup(key);
    Thread.sleep(1000);
    Optional<Map<String, Object>> late = client.lookup(key);

    assertThat(early).isEmpty();
    assertThat(late).get().extracting(c -> c.get("status")).isEqualTo("succeeded");
  }

  @Test
  void faultsEndpoint_get_listsEveryFaultAndTheActiveOnes() throws Exception {
    switchOn("decline", "");

    Map<String, Object> state = json(client.get("/__faults__"));

    assertThat(state).containsEntry("active", List.of("decline"));
    assertThat(state.get("faults").toString())
        .contains("decline", "slow", "timeout", "down", "lost-response", "latency_ms", "hold_ms");
  }

  @Test
  void faultsEndpoint_unknownFault_404() throws Exception {
    assertThat(client.fault("meteor", "on", "").statusCode()).isEqualTo(404);
  }

  @Test
  void faultsEndpoint_badStateOrParameter_400AndNothingSwitched() throws Exception {
    assertThat(client.fault("decline", "maybe", "").statusCode()).isEqualTo(400);
    assertThat(client.fault("decline", "on", "?latency_ms=5").statusCode()).isEqualTo(400);
    assertThat(client.fault("slow", "on", "?latency_ms=-1").statusCode()).isEqualTo(400);

    assertThat(simulator.faults().active()).isEmpty();
  }

  @Test
  void start_faultsAlreadyOn_appliedFromTheFirstRequest() throws Exception {
    Faults faults = new Faults();
    faults.on(Fault.DOWN);
    try (PaymentGatewaySimulator down =
        PaymentGatewaySimulator.start(
            0,
            dataDir.resolve("started-down"),
            faults,
            Clock.systemUTC(),
            new PrintStream(System.out, true, StandardCharsets.UTF_8))) {
      GatewayClient other = new GatewayClient(down.baseUri());

      assertThat(other.charge(newKey(), chargeBody("1.00", "EUR", "p")).statusCode())
          .isEqualTo(503);
    }
  }

  @Test
  void close_whileAResponseIsHeld_returnsPromptly() throws Exception {
    Faults faults = new Faults();
    faults.on(Fault.TIMEOUT);
    PaymentGatewaySimulator holding =
        PaymentGatewaySimulator.start(
            0,
            dataDir.resolve("holding"),
            faults,
            Clock.systemUTC(),
            new PrintStream(System.out, true, StandardCharsets.UTF_8));
    GatewayClient other = new GatewayClient(holding.baseUri());
    assertThatThrownBy(() -> other.charge(newKey(), chargeBody("1.00", "EUR", "p"), ms(200)))
        .isInstanceOf(HttpTimeoutException.class);
    long started = System.nanoTime();

    holding.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  private static void switchOn(String fault, String query) throws Exception {
    HttpResponse<String> response = client.fault(fault, "on", query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static String ledgerLine(String key) throws Exception {
    return Files.readAllLines(simulator.ledgerFile()).stream()
        .filter(l -> l.contains("\"idempotency_key\":\"" + key + "\""))
        .findFirst()
        .orElseThrow();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static String newKey() {
    return "purchase-" + UUID.randomUUID();
  }
}
