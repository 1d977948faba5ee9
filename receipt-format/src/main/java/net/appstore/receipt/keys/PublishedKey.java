package net.appstore.receipt.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.appstore.receipt.jose.SigningAlgorithm;

/**
 * One verification key as published in the JWKS: {@code kid}, the pinned {@code alg}, {@code use:
 * sig}, and the {@code x5c} chain whose first certificate certifies the key. Being published says
 * nothing about trust; {@link CertificateChainValidator} decides that.
 *
 * @param kid the key id tokens name in their header
 * @param algorithm the only algorithm this key verifies
 * @param publicKey the key itself, strong enough for {@code algorithm}
 * @param chain leaf first; the pinned root may be included or left out
 */
public record PublishedKey(
    String kid, SigningAlgorithm algorithm, PublicKey publicKey, List<X509Certificate> chain) {

  public PublishedKey {
    Objects.requireNonNull(kid, "kid");
    if (kid.isEmpty()) {
      throw new IllegalArgumentException("kid must not be empty");
    }
    Objects.requireNonNull(algorithm, "algorithm");
    algorithm.requireVerificationKey(Objects.requireNonNull(publicKey, "publicKey"));
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a published key needs its certificate chain");
    }
  }

  /**
   * Reads a public JWK strictly: {@code kid}, an allowed {@code alg} that fits {@code kty}, {@code
   * use: sig}, no {@code key_ops}, a non-empty {@code x5c}, and no private parameters.
   */
  public static PublishedKey fromJwk(JWK jwk) throws InvalidKeySetException {
    String kid = jwk.getKeyID();
    String name = kid == null ? "a key without kid" : "key " + kid;
    if (kid == null || kid.isEmpty()) {
      throw new InvalidKeySetException(name + ": kid is required");
    }
    if (jwk.isPrivate()) {
      throw new InvalidKeySetException(name + ": private key material must never be published");
    }
    if (!KeyUse.SIGNATURE.equals(jwk.getKeyUse()) || jwk.getKeyOperations() != null) {
      throw new InvalidKeySetException(name + ": use must be sig, without key_ops");
    }
    SigningAlgorithm algorithm =
        SigningAlgorithm.fromJwsName(
                jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName())
            .orElseThrow(
                () -> new InvalidKeySetException(name + ": alg is missing or not allowed"));
    List<X509Certificate> chain = jwk.getParsedX509CertChain();
    if (chain == null || chain.isEmpty()) {
      throw new InvalidKeySetException(name + ": x5c is required");
    }
    try {
      PublicKey key =
          switch (algorithm) {
            case RS256, PS256 -> jwk instanceof RSAKey rsa ? rsa.toRSAPublicKey() : null;
            case ES256 -> jwk instanceof ECKey ec ? ec.toECPublicKey() : null;
          };
      if (key == null) {
        throw new InvalidKeySetException(name + ": kty does not fit " + algorithm);
      }
      return new PublishedKey(kid, algorithm, key, chain);
    } catch (JOSEException | IllegalArgumentException e) {
      throw new InvalidKeySetException(name + ": key does not fit " + algorithm, e);
    }
  }

  /** The public JWK to publish. */
  public JWK toJwk() {
    List<Base64> x5c = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      try {
        x5c.add(Base64.encode(certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("certificate of " + kid + " cannot be encoded", e);
      }
    }
    return switch (algorithm) {
      case RS256, PS256 ->
          new RSAKey.Builder((RSAPublicKey) publicKey)
              .keyID(kid)
              .algorithm(algorithm.jwsAlgorithm())
              .keyUse(KeyUse.SIGNATURE)
              .x509CertChain(x5c)
              .build();
      case ES256 ->
          new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey)
              .keyID(kid)
              .algorithm(algorithm.jwsAlgorithm())
              .keyUse(KeyUse.SIGNATURE)
              .x509CertChain(x5c)
              .build();
    };
  }

  /** The leaf certificate, which certifies {@link #publicKey()}. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "PublishedKey{kid=" + kid + ", alg=" + algorithm + "}";
  }
}
