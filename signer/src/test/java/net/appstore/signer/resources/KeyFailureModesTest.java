package net.appstore.signer.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.signer.testing.Ledger;
import net.appstore.signer.testing.ReceiptRequests;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerClient;
import net.appstore.signer.testing.SignerKeys;
import net.appstore.signer.testing.TestRootCa;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FAILURE-MODES.md F12 (active key outside its validity window) and F14 (the HSM returns a bad
 * signature): the signer refuses, nothing is stored or logged as issued. Each test changes the key
 * registry as an operator (or a fault) would and restores it afterwards.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class KeyFailureModesTest {

  private static final String RECEIPT_KID = "receipt-2026-01";

  private static RunningSigner signer;
  private static SignerClient store;
  private static SignerKeys keys;
  private static Ledger ledger;

  @BeforeAll
  static void start(SoftHsmToken hsm, PostgresTestDatabase db) throws Exception {
    var jdbi = RunningSigner.migrated(db);
    keys = SignerKeys.open(hsm, jdbi, TestRootCa.create());
    keys.create(KeyPurpose.RECEIPT, RECEIPT_KID, KeyState.ACTIVE);
    keys.create(KeyPurpose.BLOCKLIST, "blocklist-2026-01", KeyState.ACTIVE);
    keys.generateOnly("stray-hsm-key");
    signer = RunningSigner.start(hsm, db);
    store = signer.client(RunningSigner.STORE_CALLER);
    ledger = new Ledger(jdbi);
  }

  @AfterAll
  static void stop() {
    if (signer != null) {
      signer.close();
    }
  }

  @AfterEach
  void signingWorksAgain() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.post("v1/receipts", ReceiptRequests.valid().toString()).status() == 201);
  }

  /** Ends the ACTIVE receipt key's validity and waits until the signer refuses to sign. */
  private static void expireReceiptKey() {
    keys.setNotAfter(RECEIPT_KID, Instant.now().minusSeconds(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.post("v1/receipts", ReceiptRequests.valid().toString()).status() == 503);
  }

  @Test
  void F12_activeKeyPastItsValidity_503NoValidKeyAndNothingIssued() {
    try {
      expireReceiptKey();
      long receipts = ledger.receipts();
      long logged = ledger.logEntries();
      double refusedBefore = refusals("NO_VALID_KEY");

      SignerClient.Reply reply = store.post("v1/receipts", ReceiptRequests.valid().toString());

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.header("Retry-After")).isPresent();
      assertThat(reply.json().get("reason").asText()).isEqualTo("NO_VALID_KEY");
      assertThat(ledger.receipts()).isEqualTo(receipts);
      assertThat(ledger.logEntries()).isEqualTo(logged);
      assertThat(refusals("NO_VALID_KEY")).isGreaterThan(refusedBefore);
      SignerClient.Reply heartbeat = signer.admin().get("__heartbeat__");
      assertThat(heartbeat.status()).isEqualTo(503);
      assertThat(heartbeat.json().at("/checks/receipt-key/healthy").asBoolean()).isFalse();
    } finally {
      keys.setNotAfter(RECEIPT_KID, Instant.now().plus(Duration.ofDays(365)));
    }
  }

  /**
   * The signature starts before the idempotency lookup; a signature that cannot start must not keep
   * a retry from getting the receipt already issued.
   */
  @Test
  void F12_activeKeyPastItsValidity_retryOfAnIssuedPurchaseStillGetsItsReceipt() {
    String request = ReceiptRequests.valid().toString();
    SignerClient.Reply issued = store.post("v1/receipts", request);
    assertThat(issued.status()).isEqualTo(201);
    try {
      expireReceiptKey();
      long logged = ledger.logEntries();

      SignerClient.Reply retry = store.post("v1/receipts", request);

      assertThat(retry.status()).isEqualTo(200);
      assertThat(retry.json()).isEqualTo(issued.json());
      assertThat(ledger.logEntries()).isEqualTo(logged);
    } finally {
      keys.setNotAfter(RECEIPT_KID, Instant.now().plus(Duration.ofDays(365)));
    }
  }

  @Test
  void F12_keyExpiringWithinThirtyDays_stillSignsAndHealthCheckWarns() {
    keys.setNotAfter(RECEIPT_KID, Instant.now().plus(Duration.ofDays(10)));
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          signer
                              .admin()
                              .get("__heartbeat__")
                              .json()
                              .at("/checks/receipt-key/message")
                              .asText())
                      .contains("expires soon"));
      assertThat(store.post("v1/receipts", ReceiptRequests.valid().toString()).status())
          .isEqualTo(201);
      assertThat(
              signer.metrics().getGauges().get("signer.key.receipt.days_until_expiry").getValue())
          .isInstanceOfSatisfying(Double.class, days -> assertThat(days).isBetween(9.0, 10.0));
    } finally {
      keys.setNotAfter(RECEIPT_KID, Instant.now().plus(Duration.ofDays(365)));
    }
  }

  @Test
  void F14_signingKeyDoesNotMatchItsRegisteredCertificate_signatureNeverReturned()
      throws Exception {
    keys.setState(RECEIPT_KID, KeyState.RETIRING);
    try {
      keys.registerMismatched(
          KeyPurpose.RECEIPT, "receipt-mismatch", "stray-hsm-key", RECEIPT_KID, KeyState.ACTIVE);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> reason(store.post("v1/receipts", ReceiptRequests.valid().toString())),
              "SIGNATURE_CHECK_FAILED"::equals);
      long receipts = ledger.receipts();
      long logged = ledger.logEntries();
      long badBefore = badSignatures();

      SignerClient.Reply reply = store.post("v1/receipts", ReceiptRequests.valid().toString());

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().get("reason").asText()).isEqualTo("SIGNATURE_CHECK_FAILED");
      assertThat(reply.body()).doesNotContain("eyJ");
      assertThat(ledger.receipts()).isEqualTo(receipts);
      assertThat(ledger.logEntries()).isEqualTo(logged);
      assertThat(badSignatures()).isEqualTo(badBefore + 1);
    } finally {
      keys.setState("receipt-mismatch", KeyState.RETIRED);
      keys.setState(RECEIPT_KID, KeyState.ACTIVE);
    }
  }

  private static String reason(SignerClient.Reply reply) {
    return reply.status() == 503 ? reply.json().get("reason").asText() : "";
  }

  private long badSignatures() {
    return signer.metrics().counter("signer.signatures.receipt.bad_signature").getCount();
  }

  private double refusals(String reason) {
    return signer.metrics().counter("signer.rejections." + reason).getCount();
  }
}
