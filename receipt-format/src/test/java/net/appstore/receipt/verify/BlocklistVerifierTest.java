package net.appstore.receipt.verify;

import static net.appstore.receipt.testing.TestVectors.BLOCKLIST_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.RejectionReason;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;

class BlocklistVerifierTest {

  private static final TestVectors VECTORS = TestVectors.load();
  private static final Instant NOW = VECTORS.now();

  @Test
  void verify_blocklistWithoutExp_accepts() throws Exception {
    String token = sign(claims().build());

    assertThat(VECTORS.blocklistVerifier().verify(token).issuedAt())
        .isEqualTo(NOW.minusSeconds(3600));
  }

  @Test
  void verify_blocklistExpiringExactlyNow_rejectsAsExpiredWithoutReissue() throws Exception {
    String token = sign(claims().expirationTime(Date.from(NOW)).build());

    ReceiptRejectedException e = rejection(token);

    assertThat(e.reason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(e.reissue()).isEmpty();
  }

  @Test
  void verify_iatBeyondSkew_rejectsAsNotYetValid() throws Exception {
    Instant future = NOW.plus(VECTORS.settings().maxClockSkew()).plusSeconds(1);
    String token = sign(claims().issueTime(Date.from(future)).build());

    assertThat(rejection(token).reason()).isEqualTo(RejectionReason.NOT_YET_VALID);
  }

  @Test
  void verify_nbfBeyondSkew_rejectsAsNotYetValid() throws Exception {
    Instant future = NOW.plus(VECTORS.settings().maxClockSkew()).plusSeconds(1);
    String token = sign(claims().notBeforeTime(Date.from(future)).build());

    assertThat(rejection(token).reason()).isEqualTo(RejectionReason.NOT_YET_VALID);
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(TestVectors.ISSUER)
        .issueTime(Date.from(NOW.minusSeconds(3600)));
  }

  private static String sign(JWTClaimsSet claims) throws Exception {
    return new DocumentSigner(VECTORS.signingKey(BLOCKLIST_KID)).signBlocklist(claims);
  }

  private static ReceiptRejectedException rejection(String token) {
    ReceiptRejectedException rejection =
        catchThrowableOfType(
            ReceiptRejectedException.class, () -> VECTORS.blocklistVerifier().verify(token));
    assertThat(rejection).as("expected a rejection").isNotNull();
    return rejection;
  }
}
