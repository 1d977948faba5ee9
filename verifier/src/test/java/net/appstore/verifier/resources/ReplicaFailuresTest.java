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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FAILURE-MODES.md F7 and F8 on a PostgreSQL cluster of this class's own: the replica paused (real
 * replication lag), stopped, and both servers stopped. The verifier never answers {@code invalid}
 * because of a database failure.
 */
@PostgresTest(dedicatedCluster = true)
class ReplicaFailuresTest {

  private static PostgresTestDatabase database;
  private static JwksServer jwks;
  private static RunningVerifier verifier;
  private static VerifyClient client;
  private static PurchaseRows purchases;

  @BeforeAll
  static void start(PostgresTestDatabase db) {
    database = db;
    purchases = PurchaseRows.install(db);
    jwks = JwksServer.serving(VECTORS.keySet());
    // No replica back-off here: every lookup tries the replica first, so test order cannot
    // matter (the back-off itself is covered by PurchaseCheckTest).
    verifier =
        RunningVerifier.builder()
            .jwks(jwks)
            .database(db)
            .set("purchases.replicaRetryAfter", "0s")
            .start();
    client = verifier.client();
  }

  @AfterEach
  void restore() {
    database.restoreHealthy();
  }

  @AfterAll
  static void stop() {
    verifier.close();
    jwks.close();
  }

  private static Receipt receiptAged(Duration age) {
    return TestReceipts.fixture().iat(VECTORS.now().minus(age)).build();
  }

  @Test
  void F8_replicaBehind_pendingNeverInvalid() {
    database.pauseReplay();
    Receipt young = receiptAged(Duration.ofSeconds(5));
    purchases.insert(young.jti(), "COMPLETED"); // on the primary; the replica does not replay it
    Answer answer = client.verify(TestReceipts.signRs256(young));
    assertThat(answer.status()).isEqualTo("pending");
    assertThat(answer.reason()).isEqualTo("NOT_YET_REPLICATED");
    database.resumeReplay();
    database.awaitReplicaCaughtUp();
    assertThat(client.verify(TestReceipts.signRs256(young)).status()).isEqualTo("ok");
  }

  @Test
  void F8_replicaBehindForAnOlderReceipt_okThroughABoundedPrimaryRead() {
    database.pauseReplay();
    Receipt older = receiptAged(Duration.ofMinutes(10));
    purchases.insert(older.jti(), "COMPLETED");
    long primaryReads = verifier.count("verifier.purchases.primary_reads.not_replicated");
    assertThat(client.verify(TestReceipts.signRs256(older)).status()).isEqualTo("ok");
    assertThat(verifier.count("verifier.purchases.primary_reads.not_replicated") - primaryReads)
        .isEqualTo(1);
  }

  @Test
  void F7_replicaDown_primaryFallbackAnswers() {
    Receipt completed = receiptAged(Duration.ofHours(1));
    Receipt refunded = receiptAged(Duration.ofHours(1));
    purchases.insertReplicated(completed.jti(), "COMPLETED");
    purchases.insertReplicated(refunded.jti(), "REFUNDED");
    database.stopReplica();
    long fallbacks = verifier.count("verifier.purchases.primary_reads.replica_down");
    assertThat(client.verify(TestReceipts.signRs256(completed)).status()).isEqualTo("ok");
    assertThat(client.verify(TestReceipts.signRs256(refunded)).status()).isEqualTo("refunded");
    assertThat(verifier.count("verifier.purchases.primary_reads.replica_down") - fallbacks)
        .isEqualTo(2);
    assertThat(verifier.adminGet("/__heartbeat__").statusCode()).isEqualTo(503);
    assertThat(verifier.adminGet("/__heartbeat__").body()).contains("replica unreachable");
  }

  @Test
  void F7_replicaAndPrimaryDown_503WithRetryAfterNeverInvalid() {
    Receipt completed = receiptAged(Duration.ofHours(1));
    purchases.insertReplicated(completed.jti(), "COMPLETED");
    database.stopReplica();
    database.stopPrimary();
    for (Receipt receipt : new Receipt[] {completed, receiptAged(Duration.ofHours(2))}) {
      Answer answer = client.verify(TestReceipts.signRs256(receipt));
      assertThat(answer.httpStatus()).as(answer.toString()).isEqualTo(503);
      assertThat(answer.header("Retry-After")).contains("5");
      assertThat(answer.reason()).isEqualTo("PURCHASES_UNAVAILABLE");
      assertThat(answer.status()).isNotEqualTo("invalid");
    }
    // Signature checks go on: a forged receipt is still refused.
    String forged =
        TestReceipts.withHeader(
            TestReceipts.signRs256(completed), TestReceipts.header("none", "x"));
    assertThat(client.verify(forged).reason()).isEqualTo("ALG_NOT_ALLOWED");
  }

  @Test
  void F7_serversBack_verificationRecovers() {
    Receipt completed = receiptAged(Duration.ofHours(1));
    purchases.insertReplicated(completed.jti(), "COMPLETED");
    database.stopReplica();
    database.stopPrimary();
    assertThat(client.verify(TestReceipts.signRs256(completed)).httpStatus()).isEqualTo(503);
    database.restoreHealthy();
    assertThat(client.verify(TestReceipts.signRs256(completed)).status()).isEqualTo("ok");
  }
}
