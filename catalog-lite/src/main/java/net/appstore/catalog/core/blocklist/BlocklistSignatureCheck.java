package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Arrays;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.jose.DocumentType;
import net.appstore.receipt.jose.JosePolicy;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.UnverifiedToken;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.InvalidKeySetException;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.UntrustedKeyException;

/**
 * Checks a freshly signed blocklist before it is published, as a client would: the token passes the
 * store's JOSE policy for {@code blocklist+jwt}, its key is in the signer's JWKS and pinned to the
 * token's algorithm, the signature verifies, and the signed payload is exactly the document that
 * was sent (compared in RFC 8785 form). Any failure is {@link Refusal#BAD_SIGNATURE} (F18). Before
 * the signature, the key itself must be vouched for: its {@code x5c} chain leads to the pinned root
 * now, with receipt-format's {@link CertificateChainValidator}, the check every verifier makes;
 * otherwise {@link Refusal#UNTRUSTED_KEY}. Thread-safe.
 */
public final class BlocklistSignatureCheck {

  private final JwksSource jwks;
  private final CertificateChainValidator pinnedRoot;
  private final Clock clock;
  private final ObjectMapper json;

  public BlocklistSignatureCheck(
      JwksSource jwks, CertificateChainValidator pinnedRoot, Clock clock, ObjectMapper json) {
    this.jwks = jwks;
    this.pinnedRoot = pinnedRoot;
    this.clock = clock;
    this.json = json;
  }

  /**
   * @throws PublicationRefusedException ({@code UNTRUSTED_KEY}) if the key does not chain to the
   *     pinned root, ({@code BAD_SIGNATURE}) if the token does not hold
   * @throws IOException if the JWKS cannot be fetched (a failure, not a verdict)
   */
  public void check(SignedBlocklist signed, byte[] expectedCanonical)
      throws PublicationRefusedException, IOException {
    UnverifiedToken token;
    try {
      token = JosePolicy.decode(signed.token(), DocumentType.BLOCKLIST);
    } catch (ReceiptRejectedException e) {
      throw refused("token violates the JOSE policy: " + e.getMessage(), e);
    }
    if (!token.kid().equals(signed.kid())) {
      throw refused("token kid differs from the kid the signer reported", null);
    }
    JWKSet keys = jwks.fetch();
    JWK key = keys.getKeyByKeyId(token.kid());
    if (key == null) {
      throw refused("kid " + token.kid() + " is not in the signer's JWKS", null);
    }
    if (key.getAlgorithm() != null
        && !key.getAlgorithm().getName().equals(token.algorithm().name())) {
      throw refused(
          "key "
              + token.kid()
              + " is pinned to "
              + key.getAlgorithm()
              + ", token says "
              + token.algorithm(),
          null);
    }
    requireChainsToPinnedRoot(key);
    try {
      if (!verifier(key, token.algorithm())
          .verify(token.header(), token.signingInput(), token.signature())) {
        throw refused("signature does not verify with key " + token.kid(), null);
      }
    } catch (JOSEException | IllegalArgumentException e) {
      throw refused(
          "signature could not be checked with key " + token.kid() + ": " + e.getMessage(), e);
    }
    byte[] signedCanonical;
    try {
      signedCanonical = CanonicalJson.bytes(json.valueToTree(token.payload()));
    } catch (IllegalArgumentException e) {
      throw refused("signed payload cannot be canonicalised: " + e.getMessage(), e);
    }
    if (!Arrays.equals(signedCanonical, expectedCanonical)) {
      throw refused("the signed payload is not the document that was sent", null);
    }
  }

  private void requireChainsToPinnedRoot(JWK key) throws PublicationRefusedException {
    try {
      pinnedRoot.validate(PublishedKey.fromJwk(key), clock.instant());
    } catch (InvalidKeySetException | UntrustedKeyException e) {
      throw new PublicationRefusedException(
          Refusal.UNTRUSTED_KEY,
          "signing key "
              + key.getKeyID()
              + " does not chain to the pinned root: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"),
          e);
    }
  }

  private static JWSVerifier verifier(JWK key, SigningAlgorithm algorithm) throws JOSEException {
    return switch (algorithm) {
      case RS256, PS256 -> {
        RSAKey rsa = requireType(key, RSAKey.class);
        PublicKey publicKey = rsa.toRSAPublicKey();
        algorithm.requireVerificationKey(publicKey);
        yield new RSASSAVerifier(rsa);
      }
      case ES256 -> {
        ECKey ec = requireType(key, ECKey.class);
        algorithm.requireVerificationKey(ec.toECPublicKey());
        yield new ECDSAVerifier(ec);
      }
    };
  }

  private static <T extends JWK> T requireType(JWK key, Class<T> type) {
    if (!type.isInstance(key)) {
      throw new IllegalArgumentException(
          "key is " + key.getKeyType() + ", not usable for the token's algorithm");
    }
    return type.cast(key);
  }

  private static PublicationRefusedException refused(String message, Throwable cause) {
    return new PublicationRefusedException(Refusal.BAD_SIGNATURE, message, cause);
  }
}
