package net.appstore.receipt.verify;

import static net.appstore.receipt.RejectionReason.ALG_MISMATCH;
import static net.appstore.receipt.RejectionReason.BAD_SIGNATURE;
import static net.appstore.receipt.RejectionReason.MALFORMED_CLAIMS;
import static net.appstore.receipt.RejectionReason.UNKNOWN_KEY;
import static net.appstore.receipt.RejectionReason.UNTRUSTED_KEY;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Objects;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.jose.DocumentType;
import net.appstore.receipt.jose.JosePolicy;
import net.appstore.receipt.jose.UnverifiedToken;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.KeySource;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.UntrustedKeyException;

/**
 * The part of verification shared by every document type: policy, key, trust, signature. Returns
 * the claims only once the signature has been checked; what the claims must say is the caller's.
 *
 * <p>Thread-safe if the {@link KeySource} is.
 */
final class SignedTokenVerifier {

  private final KeySource keys;
  private final CertificateChainValidator trust;

  SignedTokenVerifier(KeySource keys, CertificateChainValidator trust) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  JWTClaimsSet verify(String token, DocumentType type, Instant now)
      throws ReceiptRejectedException, KeySourceUnavailableException {
    UnverifiedToken unverified = JosePolicy.decode(Objects.requireNonNull(token, "token"), type);
    PublishedKey key =
        keys.find(unverified.kid())
            .orElseThrow(() -> new ReceiptRejectedException(UNKNOWN_KEY, "no published key"));
    if (key.algorithm() != unverified.algorithm()) {
      throw new ReceiptRejectedException(
          ALG_MISMATCH, key + " is pinned to another alg than " + unverified.algorithm());
    }
    try {
      // Without a readable iat the token fails the claims check later; trust is judged as of now.
      trust.validate(key, unverified.claimedIssueTime().orElse(now));
    } catch (UntrustedKeyException e) {
      throw new ReceiptRejectedException(UNTRUSTED_KEY, e.getMessage(), e);
    }
    if (!signatureVerifies(unverified, key)) {
      throw new ReceiptRejectedException(BAD_SIGNATURE, "signature does not verify with " + key);
    }
    try {
      return JWTClaimsSet.parse(unverified.payload());
    } catch (ParseException e) {
      throw new ReceiptRejectedException(MALFORMED_CLAIMS, "registered claim of the wrong type", e);
    }
  }

  /**
   * Nimbus does the work: it refuses ECDSA signatures that are not exactly 64 bytes or have r or s
   * equal to zero (and the JDK, patched for CVE-2022-21449, refuses them again).
   */
  private static boolean signatureVerifies(UnverifiedToken token, PublishedKey key) {
    try {
      JWSVerifier verifier =
          switch (key.algorithm()) {
            case RS256, PS256 -> new RSASSAVerifier((RSAPublicKey) key.publicKey());
            case ES256 -> new ECDSAVerifier((ECPublicKey) key.publicKey());
          };
      return verifier.verify(token.header(), token.signingInput(), token.signature());
    } catch (JOSEException e) {
      return false;
    }
  }
}
