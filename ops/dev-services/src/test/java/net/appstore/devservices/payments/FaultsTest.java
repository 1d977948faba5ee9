package net.appstore.devservices.payments;

import static net.appstore.devservices.payments.GatewayClient.chargeBody;
import static net.appstore.devservices.payments.GatewayClient.error;
import static net.appstore.devservices.payments.GatewayClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each fault switched through the admin endpoint, and what a client sees against what the ledger
 * holds. The ledger is the truth in every case.
 */
class FaultsTest {

  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

  @RegisterExtension static final RunningSimulator gateway = new RunningSimulator();

  @Test
  void decline_on_chargeRecordedDeclinedAndNothingCharged() throws Exception {
    switchOn("decline", "");
    String key = newKey();

    HttpResponse<String> response = gateway.client().charge(key, chargeBody("4.99", "EUR", key));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response))
        .containsEntry("status", "declined")
        .containsEntry("failure_code", "card_declined");
    assertThat(gateway.client().lookup(key))
        .get()
        .extracting(c -> c.get("status"))
        .isEqualTo("declined");
    assertThat(ledgerLine(key)).contains("\"status\":\"declined\"", "\"faults\":[\"decline\"]");
  }

  @Test
  void decline_offAgain_replayStillAnswersTheStoredDecline() throws Exception {
    switchOn("decline", "");
    String key = newKey();
    gateway.client().charge(key, chargeBody("4.99", "EUR", key));
    gateway.client().fault("decline", "off", "");

    HttpResponse<String> retry = gateway.client().charge(key, chargeBody("4.99", "EUR", key));
    String newKey = newKey();
    HttpResponse<String> fresh = gateway.client().charge(newKey, chargeBody("4.99", "EUR", newKey));

    assertThat(json(retry)).containsEntry("status", "declined");
    assertThat(json(fresh)).containsEntry("status", "succeeded");
  }

  @Test
  void timeout_on_clientTimesOutThenLookupFindsTheSucceededCharge() throws Exception {
    switchOn("timeout", "");
    String key = newKey();

    assertThatThrownBy(
            () -> gateway.client().charge(key, chargeBody("4.99", "EUR", key), CLIENT_TIMEOUT))
        .isInstanceOf(HttpTimeoutException.class);

    assertThat(gateway.client().lookup(key))
        .get()
        .extracting(c -> c.get("status"))
        .isEqualTo("succeeded");
  }

  @Test
  void timeout_holdShorterThanClientTimeout_clientGetsTheResponseLate() throws Exception {
    switchOn("timeout", "?hold_ms=300");
    String key = newKey();
    long started = System.nanoTime();

    HttpResponse<String> response = gateway.client().charge(key, chargeBody("4.99", "EUR", key));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(ms(300));
    assertThat(response.statusCode()).isEqualTo(201);
  }

  /** Regression: a hold set by one switch used to stay for the next switch without one. */
  @Test
  void timeout_switchedOnAgainWithoutHold_defaultHoldAgain() throws Exception {
    switchOn("timeout", "?hold_ms=300");
    gateway.client().clearFaults();

    switchOn("timeout", "");

    assertThat(gateway.simulator().faults().timeoutHold()).isEqualTo(Faults.DEFAULT_TIMEOUT_HOLD);
  }

  @Test
  void timeout_on_lookupsAnswerAtOnce() throws Exception {
    switchOn("timeout", "");

    assertThat(gateway.client().lookup(newKey())).isEmpty();
  }

  @Test
  void lostResponse_on_clientSeesAnIoErrorThenLookupFindsTheCharge() throws Exception {
    switchOn("lost-response", "");
    String key = newKey();

    assertThatThrownBy(
            () -> gateway.client().charge(key, chargeBody("4.99", "EUR", key), CLIENT_TIMEOUT))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);

    Optional<Map<String, Object>> charge = gateway.client().lookup(key);
    assertThat(charge).get().extracting(c -> c.get("status")).isEqualTo("succeeded");
  }

  @Test
  void lostResponse_retryWithTheSameKeyAfterRecovery_sameChargeNotASecondOne() throws Exception {
    switchOn("lost-response", "");
    String key = newKey();
    assertThatThrownBy(() -> gateway.client().charge(key, chargeBody("4.99", "EUR", key)))
        .isInstanceOf(IOException.class);
    gateway.client().fault("lost-response", "off", "");

    HttpResponse<String> retry = gateway.client().charge(key, chargeBody("4.99", "EUR", key));

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry).get("id"))
        .isEqualTo(gateway.client().lookup(key).orElseThrow().get("id"));
    assertThat(Files.readAllLines(gateway.simulator().ledgerFile()))
        .filteredOn(l -> l.contains(key))
        .hasSize(1);
  }

  @Test
  void down_on_every503WithRetryAfterAndNothingRecorded() throws Exception {
    switchOn("down", "");
    String key = newKey();

    HttpResponse<String> charge = gateway.client().charge(key, chargeBody("4.99", "EUR", key));
    HttpResponse<String> lookup = gateway.client().get("/v1/charges?idempotency_key=" + key);

    assertThat(charge.statusCode()).isEqualTo(503);
    assertThat(charge.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(error(charge)).containsEntry("code", "service_unavailable");
    assertThat(lookup.statusCode()).isEqualTo(503);
    assertThat(gateway.client().get("/__lbheartbeat__").statusCode()).isEqualTo(200);
    gateway.client().fault("down", "off", "");
    assertThat(gateway.client().lookup(key)).isEmpty();
  }

  @Test
  void slow_on_answersAfterTheConfiguredLatency() throws Exception {
    switchOn("slow", "?latency_ms=300");
    String key = newKey();
    long started = System.nanoTime();

    HttpResponse<String> response = gateway.client().charge(key, chargeBody("4.99", "EUR", key));

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
    // Long enough that the lookup below runs before the charge is processed, on a busy machine too.
    switchOn("slow", "?latency_ms=2000");
    String key = newKey();
    assertThatThrownBy(() -> gateway.client().charge(key, chargeBody("4.99", "EUR", key), ms(200)))
        .isInstanceOf(HttpTimeoutException.class);
    gateway.client().fault("slow", "off", "");

    Optional<Map<String, Object>> early = gateway.client().lookup(key);
    assertThat(early).isEmpty();
    Optional<Map<String, Object>> late = early;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (late.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(100);
      late = gateway.client().lookup(key);
    }

    assertThat(late).get().extracting(c -> c.get("status")).isEqualTo("succeeded");
  }

  @Test
  void faultsEndpoint_get_listsEveryFaultAndTheActiveOnes() throws Exception {
    switchOn("decline", "");

    Map<String, Object> state = json(gateway.client().get("/__faults__"));

    assertThat(state).containsEntry("active", List.of("decline"));
    assertThat(state.get("faults").toString())
        .contains("decline", "slow", "timeout", "down", "lost-response", "latency_ms", "hold_ms");
  }

  @Test
  void faultsEndpoint_unknownFault_404() throws Exception {
    assertThat(gateway.client().fault("meteor", "on", "").statusCode()).isEqualTo(404);
  }

  @Test
  void faultsEndpoint_badStateOrParameter_400AndNothingSwitched() throws Exception {
    assertThat(gateway.client().fault("decline", "maybe", "").statusCode()).isEqualTo(400);
    assertThat(gateway.client().fault("decline", "on", "?latency_ms=5").statusCode())
        .isEqualTo(400);
    assertThat(gateway.client().fault("slow", "on", "?latency_ms=-1").statusCode()).isEqualTo(400);

    assertThat(gateway.simulator().faults().active()).isEmpty();
  }

  @Test
  void start_faultsAlreadyOn_appliedFromTheFirstRequest(@TempDir Path dir) throws Exception {
    Faults faults = new Faults();
    faults.on(Fault.DOWN);
    try (PaymentGatewaySimulator down = RunningSimulator.start(dir, faults)) {
      GatewayClient other = new GatewayClient(down.baseUri());

      assertThat(other.charge(newKey(), chargeBody("1.00", "EUR", "p")).statusCode())
          .isEqualTo(503);
    }
  }

  @Test
  void close_whileAResponseIsHeld_returnsPromptly(@TempDir Path dir) throws Exception {
    Faults faults = new Faults();
    faults.on(Fault.TIMEOUT);
    PaymentGatewaySimulator holding = RunningSimulator.start(dir, faults);
    GatewayClient other = new GatewayClient(holding.baseUri());
    assertThatThrownBy(() -> other.charge(newKey(), chargeBody("1.00", "EUR", "p"), ms(200)))
        .isInstanceOf(HttpTimeoutException.class);
    long started = System.nanoTime();

    holding.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  private static void switchOn(String fault, String query) throws Exception {
    HttpResponse<String> response = gateway.client().fault(fault, "on", query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static String ledgerLine(String key) throws Exception {
    return Files.readAllLines(gateway.simulator().ledgerFile()).stream()
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
