package net.appstore.devservices.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints OpenID Connect style access tokens: JWTs in the RFC 9068 profile (header {@code typ:
 * at+jwt}, RS256) with {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code nbf}, {@code
 * exp}, {@code jti}, {@code client_id}, {@code preferred_username} and {@code roles}.
 *
 * <p>Thread-safe: each call builds its own signer.
 */
public final class TokenIssuer {

  public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
  public static final String CLIENT_ID = "dev-idp";

  private final IdpKey key;
  private final String issuer;
  private final Clock clock;

  public TokenIssuer(IdpKey key, String issuer, Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.clock = clock;
  }

  public String issuer() {
    return issuer;
  }

  /** A signed, serialized access token for {@code request}. */
  public String issue(TokenRequest request) {
    Instant now = clock.instant();
    // Whole seconds: JWT times are NumericDate seconds, and exp must not round up.
    Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(request.subject())
            .audience(request.audience())
            .issueTime(Date.from(issuedAt))
            .notBeforeTime(Date.from(issuedAt))
            .expirationTime(Date.from(issuedAt.plus(request.lifetime())))
            .jwtID(UUID.randomUUID().toString())
            .claim("client_id", CLIENT_ID)
            .claim("preferred_username", request.subject())
            .claim("roles", request.role().claim())
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.kid()).type(ACCESS_TOKEN_TYPE).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(key.privateJwk()));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a token with " + key, e);
    }
    return jwt.serialize();
  }
}
