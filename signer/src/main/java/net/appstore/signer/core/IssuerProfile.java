package net.appstore.signer.core;

import java.net.URI;
import java.util.Objects;

/**
 * One issuer (store) and the URLs its receipts carry.
 *
 * @param iss the {@code iss} value, compared exactly by verifiers
 * @param verify the {@code verify} claim
 * @param reissue the {@code reissue} claim
 * @param detailTemplate the {@code detail} claim, where {@value #JTI_PLACEHOLDER} stands for the
 *     jti
 */
public record IssuerProfile(String iss, URI verify, URI reissue, String detailTemplate) {

  public static final String JTI_PLACEHOLDER = "{jti}";

  /** Validates: every URL absolute https. */
  public IssuerProfile {
    Objects.requireNonNull(iss, "iss");
    requireHttps(verify, iss + ": verifyUrl");
    requireHttps(reissue, iss + ": reissueUrl");
    requireHttps(URI.create(detailTemplate.replace(JTI_PLACEHOLDER, "x")), iss + ": detailUrl");
  }

  /** The detail page of the receipt with this jti. */
  public URI detail(String jti) {
    return URI.create(detailTemplate.replace(JTI_PLACEHOLDER, jti));
  }

  private static void requireHttps(URI uri, String what) {
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an absolute https URL");
    }
  }
}
