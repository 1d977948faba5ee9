package net.appstore.receipt.verify;

import static net.appstore.receipt.testing.TestVectors.RS256_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.RejectionReason;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.keys.KeySource;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.testing.RawJws;
import net.appstore.receipt.testing.ReceiptFixture;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;

class ReceiptVerifierTest {

  private static final TestVectors VECTORS = TestVectors.load();
  private static final Instant NOW = VECTORS.now();
  private static final Duration SKEW = VECTORS.settings().maxClockSkew();

  @Test
  void verify_receiptExpiringExactlyNow_rejectsAsExpiredWithSignedReissueUrl() throws Exception {
    String token = sign(fixture().exp(NOW).build());

    ReceiptRejectedException e = rejection(verifierAt(NOW), token);

    assertThat(e.reason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(e.reissue()).contains(URI.create("https://store.example/api/v1/receipts/reissue"));
  }

  @Test
  void verify_oneNanosecondBeforeExp_accepts() throws Exception {
    Instant exp = NOW.plusSeconds(1);
    String token = sign(fixture().exp(exp).build());

    assertThat(verifierAt(exp.minusNanos(1)).verify(token).receipt().exp()).isEqualTo(exp);
  }

  @Test
  void verify_nbfExactlySkewAhead_accepts() throws Exception {
    String token = sign(fixture().nbf(NOW.plus(SKEW)).build());

    assertThat(verifierAt(NOW).verify(token).receipt().nbf()).isEqualTo(NOW.plus(SKEW));
  }

  @Test
  void verify_nbfOneSecondBeyondSkew_rejectsAsNotYetValid() throws Exception {
    String token = sign(fixture().nbf(NOW.plus(SKEW).plusSeconds(1)).build());

    assertThat(rejection(verifierAt(NOW), token).reason()).isEqualTo(RejectionReason.NOT_YET_VALID);
  }

  @Test
  void verify_iatExactlySkewAheadAndOneSecondBeyond_acceptsThenRejects() throws Exception {
    String atEdge = sign(fixture().iat(NOW.plus(SKEW)).build());
    String beyond = sign(fixture().iat(NOW.plus(SKEW).plusSeconds(1)).build());

    assertThat(verifierAt(NOW).verify(atEdge).receipt().iat()).isEqualTo(NOW.plus(SKEW));
    assertThat(rejection(verifierAt(NOW), beyond).reason())
        .isEqualTo(RejectionReason.NOT_YET_VALID);
  }

  @Test
  void verify_zeroSkewAndNbfOneSecondAhead_rejectsAsNotYetValid() throws Exception {
    ReceiptVerifier strict =
        new ReceiptVerifier(
            VECTORS.keySet(), VECTORS.chainValidator(),
            VECTORS.settings().withMaxClockSkew(Duration.ZERO), fixedAt(NOW));

    assertThat(rejection(strict, sign(fixture().nbf(NOW.plusSeconds(1)).build())).reason())
        .isEqualTo(RejectionReason.NOT_YET_VALID);
    assertThat(strict.verify(sign(fixture().nbf(NOW).build())).receipt().nbf()).isEqualTo(NOW);
  }

  @Test
  void verify_skewNeverExtendsExp_rejectsReceiptExpiredOneSecondAgo() throws Exception {
    String token = sign(fixture().exp(NOW.minusSeconds(1)).build());

    assertThat(rejection(verifierAt(NOW), token).reason()).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_testReceiptByDefault_rejectsAsTypeNotAllowed() throws Exception {
    String token = sign(fixture().typ(ReceiptType.TEST).build());

    assertThat(rejection(verifierAt(NOW), token).reason())
        .isEqualTo(RejectionReason.TYPE_NOT_ALLOWED);
  }

  @Test
  void verify_testReceiptWhenAllowed_accepts() throws Exception {
    ReceiptVerifier testing =
        new ReceiptVerifier(
            VECTORS.keySet(), VECTORS.chainValidator(),
            VECTORS.settings().allowingTestReceipts(), fixedAt(NOW));

    Receipt receipt = fixture().typ(ReceiptType.TEST).build();

    assertThat(testing.verify(sign(receipt)).receipt()).isEqualTo(receipt);
  }

  @Test
  void verify_keySourceDown_throwsUnavailableRatherThanRejecting() throws Exception {
    KeySource down =
        kid -> {
          throw new KeySourceUnavailableException("JWKS unreachable", null);
        };
    ReceiptVerifier verifier =
        new ReceiptVerifier(down, VECTORS.chainValidator(), VECTORS.settings(), fixedAt(NOW));

    assertThatThrownBy(() -> verifier.verify(sign(fixture().build())))
        .isInstanceOf(KeySourceUnavailableException.class);
  }

  @Test
  void verify_headerPolicyFailure_neverConsultsTheKeySource() {
    List<String> lookups = new ArrayList<>();
    KeySource recording =
        kid -> {
          lookups.add(kid);
          return VECTORS.keySet().find(kid);
        };
    ReceiptVerifier verifier =
        new ReceiptVerifier(recording, VECTORS.chainValidator(), VECTORS.settings(), fixedAt(NOW));

    for (String name : List.of("alg-none", "header-jwk", "header-typ-jwt", "oversized-token")) {
      assertThat(rejection(verifier, VECTORS.vector(name).token())).isNotNull();
    }
    assertThat(lookups).isEmpty();
  }

  @Test
  void verify_badSignatureOnExpiredReceipt_reportsBadSignatureFirst() throws Exception {
    String expired = sign(fixture().exp(NOW.minusSeconds(5)).build());
    String[] parts = expired.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + RawJws.base64Url(new byte[256]);

    assertThat(rejection(verifierAt(NOW), forged).reason())
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_validReceipt_exposesClaimsButNotAlgOrKid() throws Exception {
    Receipt receipt = fixture().build();

    VerifiedReceipt verified = verifierAt(NOW).verify(sign(receipt));

    assertThat(verified.receipt()).isEqualTo(receipt);
    assertThat(verified.toString()).contains(receipt.jti()).doesNotContain(RS256_KID);
  }

  @Test
  void verifierSettings_skewAboveFiveMinutesOrNegative_isRefused() {
    assertThatThrownBy(
            () -> VECTORS.settings().withMaxClockSkew(Duration.ofMinutes(5).plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VECTORS.settings().withMaxClockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verifierSettings_forIssuers_excludesTestReceipts() {
    assertThat(VerifierSettings.forIssuers(java.util.Set.of("https://a.example")).allowedTypes())
        .containsExactlyInAnyOrder(
            ReceiptType.PURCHASE, ReceiptType.DEVELOPER, ReceiptType.REVIEWER);
  }

  private static ReceiptFixture fixture() {
    return ReceiptFixture.at(NOW);
  }

  private static String sign(Receipt receipt) throws Exception {
    return new DocumentSigner(VECTORS.signingKey(RS256_KID)).signReceipt(receipt);
  }

  private static ReceiptVerifier verifierAt(Instant now) {
    return new ReceiptVerifier(
        VECTORS.keySet(), VECTORS.chainValidator(), VECTORS.settings(), fixedAt(now));
  }

  private static Clock fixedAt(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  private static ReceiptRejectedException rejection(ReceiptVerifier verifier, String token) {
    ReceiptRejectedException rejection =
        catchThrowableOfType(ReceiptRejectedException.class, () -> verifier.verify(token));
    assertThat(rejection).as("expected a rejection").isNotNull();
    return rejection;
  }
}
