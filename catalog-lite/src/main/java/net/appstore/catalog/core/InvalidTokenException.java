package net.appstore.catalog.core;

/**
 * A bearer token that will never be accepted (bad signature, wrong issuer or audience, expired,
 * unknown key after a refresh): 401. Not used when the identity provider cannot be reached, which
 * is temporary (503).
 */
public final class InvalidTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
