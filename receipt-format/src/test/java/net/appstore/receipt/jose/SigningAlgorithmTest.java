package net.appstore.receipt.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;

class SigningAlgorithmTest {

  private static final TestVectors VECTORS = TestVectors.load();

  @Test
  void fromJwsName_exactNames_findAlgorithm() {
    assertThat(SigningAlgorithm.fromJwsName("RS256")).contains(SigningAlgorithm.RS256);
    assertThat(SigningAlgorithm.fromJwsName("PS256")).contains(SigningAlgorithm.PS256);
    assertThat(SigningAlgorithm.fromJwsName("ES256")).contains(SigningAlgorithm.ES256);
  }

  @Test
  void fromJwsName_otherCaseOrOtherAlgorithm_isEmpty() {
    for (String name : new String[] {"rs256", "none", "HS256", "RS384", "EdDSA", "", null}) {
      assertThat(SigningAlgorithm.fromJwsName(name)).as(name).isEmpty();
    }
  }

  @Test
  void requireVerificationKey_rsa2048ForRsaAlgorithms_accepts() {
    PublicKey rsa = publicKey(TestVectors.RS256_KID);

    assertThatCode(() -> SigningAlgorithm.RS256.requireVerificationKey(rsa))
        .doesNotThrowAnyException();
    assertThatCode(() -> SigningAlgorithm.PS256.requireVerificationKey(rsa))
        .doesNotThrowAnyException();
  }

  @Test
  void requireVerificationKey_rsa1024_throws() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    PublicKey weak = generator.generateKeyPair().getPublic();

    assertThatThrownBy(() -> SigningAlgorithm.RS256.requireVerificationKey(weak))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048");
  }

  @Test
  void requireVerificationKey_p384KeyForEs256_throws() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    PublicKey p384 = generator.generateKeyPair().getPublic();

    assertThatThrownBy(() -> SigningAlgorithm.ES256.requireVerificationKey(p384))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
  }

  @Test
  void requireVerificationKey_keyOfOtherFamily_throws() {
    PublicKey ec = publicKey(TestVectors.ES256_KID);

    assertThatThrownBy(() -> SigningAlgorithm.RS256.requireVerificationKey(ec))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SigningAlgorithm.ES256.requireVerificationKey(publicKey(TestVectors.RS256_KID)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PublicKey publicKey(String kid) {
    return VECTORS.keySet().find(kid).orElseThrow().publicKey();
  }
}
