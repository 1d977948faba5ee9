package net.appstore.verifier.resources;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.appstore.receipt.Receipt;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.verifier.testing.JwksServer;
import net.appstore.verifier.testing.PurchaseRows;
import net.appstore.verifier.testing.RunningVerifier;
import net.appstore.verifier.testing.TestReceipts;
import net.appstore.verifier.testing.VerifyClient;
import net.appstore.verifier.testing.VerifyClient.Answer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The purchase-status mapping of DESIGN.md against real PostgreSQL (primary + streaming replica),
 * over HTTPS, with real signed receipts.
 */
@PostgresTest
class PurchaseStatusTest {

  private static JwksServer jwks;
  private static RunningVerifier verifier;
  private static VerifyClient client;
  private static PurchaseRows purchases;

  @BeforeAll
  static void start(PostgresTestDatabase database) {
    purchases = PurchaseRows.install(database);
    jwks = JwksServer.serving(VECTORS.keySet());
    verifier =
        RunningVerifier.builder()
            .jwks(jwks)
            .database(database)
            .set("purchases.resultCacheFor", "1s")
            .start();
    client = verifier.client();
  }

  @AfterAll
  static void stop() {
    verifier.close();
    jwks.close();
  }

  private static Answer verifyWithPurchase(String status) {
    Receipt receipt = TestReceipts.fixture().build();
    purchases.insertReplicated(receipt.jti(), status);
    return client.verify(TestReceipts.signRs256(receipt));
  }

  @Test
  void verify_completedPurchase_ok() {
    Answer answer = verifyWithPurchase("COMPLETED");
    assertThat(answer.body().toString()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(answer.header("Cache-Control")).contains("no-store");
    assertThat(answer.header("X-Request-Id")).isPresent();
  }

  @Test
  void verify_refundedPurchase_refunded() {
    assertThat(verifyWithPurchase("REFUNDED").body().toString())
        .isEqualTo("{\"status\":\"refunded\"}");
  }

  @Test
  void verify_voidedPurchase_invalidVoided() {
    Answer answer = verifyWithPurchase("VOIDED");
    assertThat(answer.status()).isEqualTo("invalid");
    assertThat(answer.reason()).isEqualTo("VOIDED");
  }

  @Test
  void verify_signedOrReservedPurchase_pending() {
    for (String status : new String[] {"SIGNED", "RESERVED"}) {
      Answer answer = verifyWithPurchase(status);
      assertThat(answer.status()).isEqualTo("pending");
      assertThat(answer.reason()).isEqualTo("PURCHASE_INCOMPLETE");
    }
  }

  @Test
  void verify_noPurchaseYetForAYoungReceipt_pending() {
    Receipt young = TestReceipts.fixture().iat(VECTORS.now().minus(Duration.ofSeconds(5))).build();
    Answer answer = client.verify(TestReceipts.signRs256(young));
    assertThat(answer.status()).isEqualTo("pending");
    assertThat(answer.reason()).isEqualTo("NOT_YET_REPLICATED");
  }

  @Test
  void F9_purchaseRowMissing_invalidNoPurchaseAfterAPrimaryRead() {
    long primaryReads = verifier.count("verifier.purchases.primary_reads.not_replicated");
    Receipt orphan = TestReceipts.fixture().build(); // an hour old, no purchase anywhere
    Answer answer = client.verify(TestReceipts.signRs256(orphan));
    assertThat(answer.status()).isEqualTo("invalid");
    assertThat(answer.reason()).isEqualTo("NO_PURCHASE");
    assertThat(verifier.count("verifier.purchases.primary_reads.not_replicated") - primaryReads)
        .isEqualTo(1);
    assertThat(verifier.count("verifier.verifications.invalid.NO_PURCHASE")).isPositive();
  }

  @Test
  void verify_refundAfterOk_refundedOnceTheResultCacheExpires() {
    Receipt receipt = TestReceipts.fixture().build();
    purchases.insertReplicated(receipt.jti(), "COMPLETED");
    String token = TestReceipts.signRs256(receipt);
    assertThat(client.verify(token).status()).isEqualTo("ok");
    purchases.setStatusReplicated(receipt.jti(), "REFUNDED");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> client.verify(token).status().equals("refunded"));
  }
}
