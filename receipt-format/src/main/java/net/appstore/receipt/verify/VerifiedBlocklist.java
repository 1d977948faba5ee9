package net.appstore.receipt.verify;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;

/**
 * A blocklist whose signature, key and common claims have been checked by {@link
 * BlocklistVerifier}, the only class that can make one.
 */
public final class VerifiedBlocklist {

  private final JWTClaimsSet claims;

  VerifiedBlocklist(JWTClaimsSet claims) {
    this.claims = claims;
  }

  /** All claims, including the catalog-defined list; {@link JWTClaimsSet} is immutable. */
  public JWTClaimsSet claims() {
    return claims;
  }

  public String issuer() {
    return claims.getIssuer();
  }

  public Instant issuedAt() {
    return claims.getIssueTime().toInstant();
  }

  @Override
  public String toString() {
    return "VerifiedBlocklist{iss=" + issuer() + ", iat=" + issuedAt() + "}";
  }
}
