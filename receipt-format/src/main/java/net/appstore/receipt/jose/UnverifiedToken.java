package net.appstore.receipt.jose;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * A token that passed {@link JosePolicy#decode} but whose signature has not been checked yet.
 * Nothing in it may be trusted except that it is well-formed and names an allowed algorithm, its
 * expected type and a key id. Only {@link JosePolicy} creates one.
 *
 * <p>Immutable; {@link #toString()} reveals nothing of the token.
 */
public final class UnverifiedToken {

  private final DocumentType documentType;
  private final SigningAlgorithm algorithm;
  private final String kid;
  private final byte[] signingInput;
  private final String signature;
  private final Map<String, Object> payload;

  UnverifiedToken(
      DocumentType documentType,
      SigningAlgorithm algorithm,
      String kid,
      byte[] signingInput,
      String signature,
      Map<String, Object> payload) {
    this.documentType = documentType;
    this.algorithm = algorithm;
    this.kid = kid;
    this.signingInput = signingInput;
    this.signature = signature;
    this.payload = Collections.unmodifiableMap(payload);
  }

  public DocumentType documentType() {
    return documentType;
  }

  /** The algorithm the header asks for; must still be compared with the key's pinned one. */
  public SigningAlgorithm algorithm() {
    return algorithm;
  }

  public String kid() {
    return kid;
  }

  /** The header rebuilt from the three checked parameters, as Nimbus verifiers expect it. */
  public JWSHeader header() {
    return new JWSHeader.Builder(algorithm.jwsAlgorithm())
        .keyID(kid)
        .type(documentType.joseObjectType())
        .build();
  }

  /** The ASCII bytes of {@code header.payload}, exactly as received: what the signature covers. */
  public byte[] signingInput() {
    return signingInput.clone();
  }

  /**
   * The signature segment exactly as received (checked canonical base64url, not decoded yet); its
   * {@code decode()} uses the JDK's decoder ({@link CanonicalBase64Url}).
   */
  public Base64URL signature() {
    return new CanonicalBase64Url(signature);
  }

  /** The payload as a JSON object, unchecked until the signature has been verified. */
  public Map<String, Object> payload() {
    return payload;
  }

  /**
   * The {@code iat} the payload claims, if it is a number. Unverified: used only to pick the date
   * at which the key's certificates are checked, before the signature is; the claim itself is
   * checked again once the signature is known to be good.
   */
  public Optional<Instant> claimedIssueTime() {
    if (payload.get("iat") instanceof Number seconds) {
      try {
        return Optional.of(Instant.ofEpochSecond(seconds.longValue()));
      } catch (DateTimeException e) {
        return Optional.empty(); // Out of Instant's range; the claims check rejects it later.
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "UnverifiedToken{" + documentType + ", " + algorithm + "}";
  }
}
