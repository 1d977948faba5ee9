package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nimbus signs through SunPKCS11 with a key that never leaves SoftHSM2; verification runs in
 * software with the public key from the certificate, as the verifier service does.
 */
@ExtendWith(SoftHsmExtension.class)
class JwtSigningThroughHsmTest {

  private static HsmToken token;
  private static TestRootCa rootCa;

  @BeforeAll
  static void open(SoftHsmToken softHsm) throws Exception {
    token = OpenTokens.open(softHsm);
    rootCa = TestRootCa.create();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256"})
  void sign_keyInHsm_verifiesInSoftwareWithPublicKey(String algorithm) throws Exception {
    JWSAlgorithm jws = JWSAlgorithm.parse(algorithm);
    HsmKey key =
        token.generateKeyPair(
            "jwt-" + algorithm.toLowerCase(), HsmKeyType.forJwsAlgorithm(algorithm), rootCa);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder().issuer("https://store.example").jwtID("r-1").build();

    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(jws).keyID(key.label()).build(), claims);
    jwt.sign(hsmSigner(key));

    SignedJWT parsed = SignedJWT.parse(jwt.serialize());
    assertThat(parsed.verify(softwareVerifier(key.publicKey()))).isTrue();
    assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(jws);
    assertThat(parsed.getJWTClaimsSet().getJWTID()).isEqualTo("r-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256"})
  void sign_keyInHsm_doesNotVerifyWithAnotherKey(String algorithm) throws Exception {
    HsmKeyType type = HsmKeyType.forJwsAlgorithm(algorithm);
    HsmKey signing = token.generateKeyPair("jwt-a-" + algorithm.toLowerCase(), type, rootCa);
    HsmKey other = token.generateKeyPair("jwt-b-" + algorithm.toLowerCase(), type, rootCa);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.parse(algorithm)),
            new JWTClaimsSet.Builder().jwtID("r-2").build());

    jwt.sign(hsmSigner(signing));

    assertThat(SignedJWT.parse(jwt.serialize()).verify(softwareVerifier(other.publicKey())))
        .isFalse();
  }

  private static JWSSigner hsmSigner(HsmKey key) throws JOSEException {
    JWSSigner signer =
        key.type() == HsmKeyType.RSA_2048
            ? new RSASSASigner(key.privateKey())
            : new ECDSASigner(key.privateKey(), Curve.P_256);
    signer.getJCAContext().setProvider(token.provider());
    return signer;
  }

  private static JWSVerifier softwareVerifier(PublicKey publicKey) throws JOSEException {
    return publicKey instanceof RSAPublicKey rsa
        ? new RSASSAVerifier(rsa)
        : new ECDSAVerifier((ECPublicKey) publicKey);
  }
}
