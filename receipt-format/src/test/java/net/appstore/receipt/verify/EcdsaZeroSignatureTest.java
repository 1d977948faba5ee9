package net.appstore.receipt.verify;

import static net.appstore.receipt.testing.TestVectors.ES256_KID;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import net.appstore.receipt.jose.DocumentType;
import net.appstore.receipt.jose.JosePolicy;
import net.appstore.receipt.jose.UnverifiedToken;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;

/**
 * CVE-2022-21449 ("psychic signatures"): JDK 15-18 before the April 2022 patch accepted r = s = 0
 * for every message. Each layer is checked on its own, so neither silently relies on the other.
 */
class EcdsaZeroSignatureTest {

  private static final TestVectors VECTORS = TestVectors.load();

  /** DER SEQUENCE { INTEGER 0, INTEGER 0 }. */
  private static final byte[] DER_ZERO_ZERO = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00};

  @Test
  void jdkSignatureVerify_rAndSZero_doesNotAccept() throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey());
    verifier.update("any message".getBytes(StandardCharsets.US_ASCII));

    boolean accepted;
    try {
      accepted = verifier.verify(DER_ZERO_ZERO);
    } catch (SignatureException refused) {
      accepted = false;
    }
    assertThat(accepted).isFalse();
  }

  @Test
  void nimbusEcdsaVerifier_rAndSZero_doesNotAccept() throws Exception {
    UnverifiedToken token =
        JosePolicy.decode(VECTORS.vector("es256-signature-r0-s0").token(), DocumentType.RECEIPT);

    boolean accepted =
        new ECDSAVerifier((ECPublicKey) publicKey())
            .verify(token.header(), token.signingInput(), Base64URL.encode(new byte[64]));

    assertThat(accepted).isFalse();
  }

  private static PublicKey publicKey() {
    return VECTORS.keySet().find(ES256_KID).orElseThrow().publicKey();
  }
}
