package net.appstore.verifier.resources;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.appstore.receipt.testing.TestVectors;
import net.appstore.receipt.testing.TestVectors.Vector;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every receipt vector of receipt-format, sent to the real service over HTTPS, gets the vector's
 * outcome. Every jti found in any vector has a COMPLETED purchase, so a check the service skipped
 * would show up as {@code ok} where a rejection is expected.
 */
@PostgresTest
class KnownAnswerVectorsOverHttpsTest {

  private static JwksServer jwks;
  private static RunningVerifier verifier;
  private static VerifyClient client;

  @BeforeAll
  static void start(PostgresTestDatabase database) {
    PurchaseRows rows = PurchaseRows.install(database);
    Set<String> jtis = new HashSet<>();
    VECTORS.vectors().forEach(v -> jtiOf(v).ifPresent(jtis::add));
    rows.insertAllReplicated(jtis, "COMPLETED");
    jwks = JwksServer.serving(VECTORS.keySet());
    verifier = RunningVerifier.builder().jwks(jwks).database(database).start();
    client = verifier.client();
  }

  @AfterAll
  static void stop() {
    verifier.close();
    jwks.close();
  }

  static Stream<Vector> receiptVectors() {
    return VECTORS.vectors().stream().filter(Vector::isReceipt);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("receiptVectors")
  void verify_knownAnswerVectorAsText_givesTheVectorsOutcome(Vector vector) {
    assertOutcome(vector, client.verify(vector.token()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("receiptVectors")
  void verify_knownAnswerVectorAsJson_givesTheVectorsOutcome(Vector vector) {
    assertOutcome(vector, client.verifyJson(vector.token()));
  }

  private static void assertOutcome(Vector vector, Answer answer) {
    assertThat(answer.httpStatus()).as(answer.toString()).isEqualTo(200);
    String expected = TestVectors.expectedOutcome(vector);
    switch (expected) {
      case "ok" -> assertThat(answer.body().toString()).isEqualTo("{\"status\":\"ok\"}");
      case "EXPIRED" -> {
        assertThat(answer.status()).isEqualTo("expired");
        assertThat(answer.body().path("reissue").asText())
            .isEqualTo("https://store.example/api/v1/receipts/reissue");
      }
      default -> {
        assertThat(answer.status()).as(answer.toString()).isEqualTo("invalid");
        assertThat(answer.reason()).isEqualTo(expected);
      }
    }
  }

  private static Optional<String> jtiOf(Vector vector) {
    try {
      return Optional.ofNullable(TestReceipts.payload(vector.token()).get("jti"))
          .filter(String.class::isInstance)
          .map(String.class::cast);
    } catch (java.text.ParseException | RuntimeException e) {
      return Optional.empty(); // not decodable: no purchase needed
    }
  }
}
