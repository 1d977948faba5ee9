package net.appstore.catalog.core;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication for the endpoints that need an identity (Dropwizard auth), and the
 * lenient variant for pages that only get better with one.
 *
 * <ul>
 *   <li>{@link #authenticate}: empty for a bad token (401); {@link
 *       net.appstore.service.ServiceUnavailableException} when the identity provider cannot be
 *       reached (503, F26).
 *   <li>{@link #identify}: the reader, if a good token is there and can be checked now; otherwise
 *       empty, never an error, so browsing does not depend on the identity provider.
 * </ul>
 *
 * Tokens are never logged. Thread-safe.
 */
public final class TokenAuthenticator implements Authenticator<String, CatalogUser> {

  private static final Logger LOG = LoggerFactory.getLogger(TokenAuthenticator.class);
  private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/=-]+) *");

  private final AccessTokenVerifier verifier;

  public TokenAuthenticator(AccessTokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Optional<CatalogUser> authenticate(String token) {
    try {
      return Optional.of(verifier.verify(token));
    } catch (InvalidTokenException e) {
      LOG.info("bearer token refused: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** The reader named by an {@code Authorization: Bearer} header, when it can be told now. */
  public Optional<CatalogUser> identify(String authorizationHeader) {
    if (authorizationHeader == null) {
      return Optional.empty();
    }
    var matcher = BEARER.matcher(authorizationHeader);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return authenticate(matcher.group(1));
    } catch (RuntimeException e) {
      LOG.info("reader not identified (identity provider unavailable): {}", e.toString());
      return Optional.empty();
    }
  }
}
