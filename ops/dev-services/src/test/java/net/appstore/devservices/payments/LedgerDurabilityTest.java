package net.appstore.devservices.payments;

import static net.appstore.devservices.payments.GatewayClient.chargeBody;
import static net.appstore.devservices.payments.GatewayClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger survives restarts and crashes; a damaged ledger is never trusted silently. */
class LedgerDurabilityTest {

  @TempDir Path dataDir;

  @Test
  void restart_afterChargeDeclineAndRefund_sameStateAndKeysStillBound() throws Exception {
    Map<String, Object> charged;
    Map<String, Object> refunded;
    try (PaymentGatewaySimulator first = start()) {
      GatewayClient client = new GatewayClient(first.baseUri());
      charged = json(client.charge("p-1", chargeBody("4.99", "EUR", "p-1")));
      refunded =
          json(client.refund((String) charged.get("id"), "refund-p-1", "{\"reason\":\"dup\"}"));
      client.fault("decline", "on", "");
      client.charge("p-2", chargeBody("1.00", "EUR", "p-2"));
    }

    try (PaymentGatewaySimulator second = start()) {
      GatewayClient client = new GatewayClient(second.baseUri());

      assertThat(client.lookup("p-1").orElseThrow())
          .containsEntry("id", charged.get("id"))
          .containsEntry("status", "refunded")
          .containsEntry("refund", refunded.get("id"));
      assertThat(client.lookup("p-2").orElseThrow()).containsEntry("status", "declined");
      HttpResponse<String> replay = client.charge("p-1", chargeBody("4.99", "EUR", "p-1"));
      assertThat(replay.statusCode()).isEqualTo(200);
      assertThat(json(replay)).isEqualTo(charged);
      assertThat(client.charge("p-1", chargeBody("5.99", "EUR", "p-1")).statusCode())
          .isEqualTo(422);
      assertThat(
              client
                  .refund((String) charged.get("id"), "refund-p-1", "{\"reason\":\"dup\"}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(client.allCharges(100)).hasSize(2);
    }
  }

  @Test
  void start_incompleteLastLine_cutOffAndTheRestKept() throws Exception {
    try (PaymentGatewaySimulator first = start()) {
      new GatewayClient(first.baseUri()).charge("p-1", chargeBody("4.99", "EUR", "p-1"));
    }
    Path ledger = dataDir.resolve(LedgerFile.FILE_NAME);
    Files.writeString(ledger, "{\"type\":\"charge\",\"id\":\"ch_torn", StandardOpenOption.APPEND);

    try (PaymentGatewaySimulator second = start()) {
      GatewayClient client = new GatewayClient(second.baseUri());

      assertThat(client.lookup("p-1")).isPresent();
      assertThat(client.charge("p-2", chargeBody("1.00", "EUR", "p-2")).statusCode())
          .isEqualTo(201);
    }
    List<String> lines = Files.readAllLines(ledger);
    assertThat(lines).hasSize(2).noneMatch(l -> l.contains("ch_torn"));
  }

  @Test
  void start_corruptLineInTheMiddle_refusesToStart() throws Exception {
    try (PaymentGatewaySimulator first = start()) {
      GatewayClient client = new GatewayClient(first.baseUri());
      client.charge("p-1", chargeBody("4.99", "EUR", "p-1"));
      client.charge("p-2", chargeBody("4.99", "EUR", "p-2"));
    }
    Path ledger = dataDir.resolve(LedgerFile.FILE_NAME);
    List<String> lines = Files.readAllLines(ledger);
    Files.writeString(ledger, lines.get(0).replace("4.99", "4.9x") + "\n" + lines.get(1) + "\n");

    assertThatThrownBy(this::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("corrupt");
  }

  @Test
  void start_refundOfAnUnknownCharge_refusesToStart() throws Exception {
    Files.createDirectories(dataDir);
    Files.writeString(
        dataDir.resolve(LedgerFile.FILE_NAME),
        "{\"type\":\"refund\",\"id\":\"re_x\",\"idempotency_key\":\"r\",\"charge\":\"ch_none\","
            + "\"amount\":\"1.00\",\"currency\":\"EUR\",\"reason\":null,"
            + "\"created\":\"2025-01-01T00:00:00Z\",\"faults\":[]}\n");

    assertThatThrownBy(this::start).hasMessageContaining("unknown or already refunded charge");
  }

  @Test
  void start_dataDirInUseByAnotherSimulator_refused() throws Exception {
    try (PaymentGatewaySimulator first = start()) {
      assertThatThrownBy(this::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another payment gateway simulator");
    }
  }

  /**
   * The case the store's reconciler exists for: the gateway took the money, the client never heard
   * back, and then the gateway process died hard. The charge is in the ledger after a restart.
   */
  @Test
  void processKilled_whileATimedOutChargeWasHeld_chargeFoundAfterRestart() throws Exception {
    try (PaymentGatewayProcess gateway =
        PaymentGatewayProcess.start(dataDir, "--fault", "timeout")) {
      GatewayClient client = new GatewayClient(gateway.baseUri());
      // Answered first with the default timeout, so the connection is open and the gateway warm:
      // the charge's 500 ms must cover only the held answer, or on a loaded machine the client
      // can give up before the charge is even sent, and no ledger line ever comes.
      assertThat(client.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
      assertThatThrownBy(
              () -> client.charge("p-1", chargeBody("4.99", "EUR", "p-1"), Duration.ofMillis(500)))
          .isInstanceOf(HttpTimeoutException.class);
      // a cold JVM may take longer than the client's timeout to record the charge
      awaitLedgerLineContaining("\"idempotency_key\":\"p-1\"");

      gateway.kill(); // SIGKILL: no shutdown hook, no flush
      gateway.restart(); // same port and ledger; the faults from the command line again

      assertThat(client.lookup("p-1").orElseThrow())
          .containsEntry("status", "succeeded")
          .containsEntry("amount", "4.99");
    }
  }

  @Test
  void options_missingDataDirOrUnknownFault_refused() {
    assertThatThrownBy(() -> PaymentGatewaySimulator.Options.parse("--port", "1"))
        .hasMessageContaining("--data-dir");
    assertThatThrownBy(
            () -> PaymentGatewaySimulator.Options.parse("--data-dir", "d", "--fault", "meteor"))
        .hasMessageContaining("unknown fault meteor");
    assertThat(
            PaymentGatewaySimulator.Options.parse("--data-dir", "d", "--fault", "decline,slow")
                .faults())
        .containsExactly(Fault.DECLINE, Fault.SLOW);
  }

  private PaymentGatewaySimulator start() throws Exception {
    return RunningSimulator.start(dataDir, new Faults());
  }

  private void awaitLedgerLineContaining(String text) throws Exception {
    Path ledger = dataDir.resolve(LedgerFile.FILE_NAME);
    // Generous: the gateway is a cold JVM in its own process, and in a CI run on a loaded 2-core
    // machine it once took over 10 s to record its first charge.
    Instant deadline = Instant.now().plusSeconds(45);
    while (!Files.readString(ledger).contains(text)) {
      assertThat(Instant.now()).as("ledger line with " + text).isBefore(deadline);
      Thread.sleep(20);
    }
  }
}
