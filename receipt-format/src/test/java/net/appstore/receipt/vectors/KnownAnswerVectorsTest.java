package net.appstore.receipt.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.appstore.receipt.RejectionReason;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every committed vector gets exactly its expected outcome. */
class KnownAnswerVectorsTest {

  private static final TestVectors VECTORS = TestVectors.load();

  static List<TestVectors.Vector> vectors() {
    return VECTORS.vectors();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void verify_committedVector_givesExpectedOutcome(TestVectors.Vector vector) {
    assertThat(VECTORS.outcome(vector))
        .as(vector.description())
        .isEqualTo(TestVectors.expectedOutcome(vector));
  }

  @Test
  void vectors_everyRejectionReason_isExercised() {
    Set<RejectionReason> covered = EnumSet.noneOf(RejectionReason.class);
    VECTORS.vectors().forEach(v -> v.expected().ifPresent(covered::add));
    assertThat(covered).containsExactlyInAnyOrder(RejectionReason.values());
  }

  @Test
  void vectors_requiredAttacks_arePresent() {
    assertThat(VECTORS.vectors())
        .extracting(TestVectors.Vector::name)
        .contains(
            "rs256-purchase-receipt",
            "ps256-purchase-receipt",
            "es256-purchase-receipt",
            "blocklist",
            "alg-none",
            "alg-None",
            "alg-NONE",
            "alg-hs256-keyed-with-public-key-der",
            "kid-unknown",
            "header-typ-jwt",
            "claim-typ-unknown",
            "claim-typ-test-receipt",
            "expired",
            "expired-exactly-now",
            "nbf-beyond-skew",
            "tampered-payload",
            "tampered-signature",
            "header-jwk",
            "header-jku",
            "header-x5u",
            "header-x5c",
            "header-crit",
            "header-b64-false",
            "oversized-token",
            "segments-four",
            "segments-five",
            "trailing-space",
            "claim-iss-wrong",
            "key-not-chained-to-root",
            "es256-signature-r0-s0");
  }

  @Test
  void vectors_validOnes_includeEachAlgorithmAndBothDocumentTypes() {
    List<TestVectors.Vector> valid =
        VECTORS.vectors().stream().filter(v -> v.expected().equals(Optional.empty())).toList();
    assertThat(valid).extracting(TestVectors.Vector::document).contains("receipt", "blocklist");
    assertThat(valid).hasSizeGreaterThanOrEqualTo(5);
  }
}
