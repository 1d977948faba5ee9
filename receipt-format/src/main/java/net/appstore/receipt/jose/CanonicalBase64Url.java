package net.appstore.receipt.jose;

import com.nimbusds.jose.util.Base64URL;
import java.util.Base64;

/**
 * A base64url segment {@link JosePolicy} has already checked to be canonical (alphabet, length, no
 * padding, unused bits zero), decoded by the JDK's decoder rather than Nimbus's own codec.
 *
 * <p>Why: Nimbus verifiers decode the signature through {@code Base64URL.decode()}, whose codec
 * takes about 3 µs for an RS256 signature where the JDK's decoder takes under 0.1 µs, and gives the
 * same bytes for a canonical segment (docs/BENCHMARKS.md, "Verifier"). Only {@link UnverifiedToken}
 * hands one out, and only for a segment that passed the canonical check, so the two decoders can
 * never disagree here ({@code CanonicalBase64UrlTest}).
 */
final class CanonicalBase64Url extends Base64URL {

  private static final long serialVersionUID = 1L;

  CanonicalBase64Url(String checkedSegment) {
    super(checkedSegment);
  }

  @Override
  public byte[] decode() {
    return Base64.getUrlDecoder().decode(toString());
  }
}
