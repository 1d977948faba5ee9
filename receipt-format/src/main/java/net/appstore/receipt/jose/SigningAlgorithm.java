package net.appstore.receipt.jose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/**
 * The only JWS algorithms receipts use. Each key is pinned to exactly one of them, so a token
 * cannot choose how its own signature is checked ({@code none}, HMAC keyed with a public key, RSA
 * key reused for PSS: all refused).
 *
 * <p>RS256 is the default: verification, the hot path, is about 25 times cheaper than ES256 on the
 * JDK.
 */
public enum SigningAlgorithm {
  RS256(JWSAlgorithm.RS256, "RSA"),
  PS256(JWSAlgorithm.PS256, "RSA"),
  ES256(JWSAlgorithm.ES256, "EC");

  /** Smaller RSA keys are refused: below 2048 bits is no longer considered secure. */
  public static final int MIN_RSA_BITS = 2048;

  private final JWSAlgorithm jwsAlgorithm;
  private final String keyAlgorithm;

  SigningAlgorithm(JWSAlgorithm jwsAlgorithm, String keyAlgorithm) {
    this.jwsAlgorithm = jwsAlgorithm;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The algorithm whose JWS name is exactly {@code name}; names are case-sensitive. */
  public static Optional<SigningAlgorithm> fromJwsName(String name) {
    for (SigningAlgorithm algorithm : values()) {
      if (algorithm.name().equals(name)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  public JWSAlgorithm jwsAlgorithm() {
    return jwsAlgorithm;
  }

  /**
   * Checks that {@code key} (public or private) is of the family this algorithm needs. Works on HSM
   * keys, which reveal their family but not always their size.
   *
   * @throws IllegalArgumentException if it is not
   */
  public void requireKeyFamily(Key key) {
    if (!keyAlgorithm.equals(key.getAlgorithm())) {
      throw new IllegalArgumentException(
          name() + " needs an " + keyAlgorithm + " key, not " + key.getAlgorithm());
    }
  }

  /**
   * Checks that {@code key} can verify this algorithm: RSA of at least {@value #MIN_RSA_BITS} bits,
   * or EC on P-256.
   *
   * @throws IllegalArgumentException if it cannot
   */
  public void requireVerificationKey(PublicKey key) {
    requireKeyFamily(key);
    boolean strongEnough =
        switch (this) {
          case RS256, PS256 ->
              key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS;
          case ES256 ->
              key instanceof ECPublicKey ec
                  && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()));
        };
    if (!strongEnough) {
      String needed = this == ES256 ? "an EC key on P-256" : "RSA of at least 2048 bits";
      throw new IllegalArgumentException(name() + " needs " + needed);
    }
  }
}
