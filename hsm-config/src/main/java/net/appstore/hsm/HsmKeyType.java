package net.appstore.hsm;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Optional;

/**
 * The key types the HSM generates for receipt and blocklist signing. Each signing key pins one JWS
 * algorithm; this type only fixes what the HSM must create. Immutable.
 */
public enum HsmKeyType {
  /** RSA with a 2048-bit modulus and exponent 65537, for RS256 or PS256. */
  RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SunRsaSign"),
  /** ECDSA on NIST P-256, for ES256. */
  EC_P256("EC", new ECGenParameterSpec("secp256r1"), "SunEC");

  private static final int P256_FIELD_BITS = 256;

  private final String jcaAlgorithm;
  private final AlgorithmParameterSpec generationSpec;
  private final String softwareProvider;

  HsmKeyType(String jcaAlgorithm, AlgorithmParameterSpec generationSpec, String softwareProvider) {
    this.jcaAlgorithm = jcaAlgorithm;
    this.generationSpec = generationSpec;
    this.softwareProvider = softwareProvider;
  }

  /** The key type a JWS algorithm needs: RS256 and PS256 → RSA_2048, ES256 → EC_P256. */
  public static HsmKeyType forJwsAlgorithm(String jwsAlgorithm) {
    return switch (jwsAlgorithm) {
      case "RS256", "PS256" -> RSA_2048;
      case "ES256" -> EC_P256;
      default -> throw new IllegalArgumentException("unsupported JWS algorithm: " + jwsAlgorithm);
    };
  }

  /** The type of a public key, or empty if it is neither RSA-2048 nor EC P-256. */
  public static Optional<HsmKeyType> of(PublicKey publicKey) {
    if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == 2048) {
      return Optional.of(RSA_2048);
    }
    // The field size identifies P-256 among the curves SunEC and SoftHSM2 offer.
    if (publicKey instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() == P256_FIELD_BITS) {
      return Optional.of(EC_P256);
    }
    return Optional.empty();
  }

  /** The JCA key algorithm name ("RSA" or "EC"). */
  public String jcaAlgorithm() {
    return jcaAlgorithm;
  }

  AlgorithmParameterSpec generationSpec() {
    return generationSpec;
  }

  /** A JCA signature algorithm this key can produce, used by the canary. */
  String canarySignatureAlgorithm() {
    return this == RSA_2048 ? "SHA256withRSA" : "SHA256withECDSA";
  }

  /** The JDK software provider that verifies this key's signatures without touching the HSM. */
  String softwareProvider() {
    return softwareProvider;
  }
}
