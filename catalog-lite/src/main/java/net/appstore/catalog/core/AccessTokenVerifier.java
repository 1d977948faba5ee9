package net.appstore.catalog.core;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.appstore.service.ServiceUnavailableException;

/**
 * Checks OpenID Connect access tokens (JWT, RFC 9068 profile) against the identity provider's JWKS:
 * header {@code typ: at+jwt}, RS256 only, a key from the JWKS, the configured issuer and audience,
 * {@code sub}, {@code exp} and {@code iat} present, times within a minute of clock skew.
 *
 * <p>The JWKS source caches keys and tolerates an identity provider outage for a bounded time, so
 * tokens keep being checked while it is down; with no usable key at all, {@link #verify} throws
 * {@link ServiceUnavailableException} ({@code IDENTITY_UNAVAILABLE}, F26), never a verdict that the
 * token is bad. Thread-safe.
 */
public final class AccessTokenVerifier {

  public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Duration retryAfter;

  public AccessTokenVerifier(
      JWKSource<SecurityContext> keys, String issuer, String audience, Duration retryAfter) {
    this.retryAfter = retryAfter;
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(ACCESS_TOKEN_TYPE));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp", "iat")));
  }

  /**
   * The user a token identifies.
   *
   * @throws InvalidTokenException if the token is not acceptable
   * @throws ServiceUnavailableException if no key is available to decide (IdP down, never reached)
   */
  public CatalogUser verify(String token) throws InvalidTokenException {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (KeySourceException e) {
      throw new ServiceUnavailableException(
          "IDENTITY_UNAVAILABLE", "the identity provider cannot be reached", retryAfter, e);
    } catch (ParseException | BadJOSEException e) {
      throw new InvalidTokenException("token rejected: " + e.getMessage(), e);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new InvalidTokenException("token could not be verified: " + e.getMessage(), e);
    }
    return new CatalogUser(claims.getSubject(), displayName(claims), roles(claims));
  }

  private static String displayName(JWTClaimsSet claims) {
    for (String claim : List.of("preferred_username", "name")) {
      Object value = claims.getClaim(claim);
      if (value instanceof String s && !s.isBlank()) {
        return s.length() > 100 ? s.substring(0, 100) : s;
      }
    }
    return "anonymous";
  }

  private static Set<String> roles(JWTClaimsSet claims) {
    Set<String> roles = new HashSet<>();
    if (claims.getClaim("roles") instanceof List<?> list) {
      for (Object role : list) {
        if (role instanceof String s) {
          roles.add(s);
        }
      }
    }
    return roles;
  }
}
