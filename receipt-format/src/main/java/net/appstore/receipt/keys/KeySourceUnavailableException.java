package net.appstore.receipt.keys;

/**
 * The key source cannot say whether a key exists (JWKS unreachable and no usable cached copy).
 * Temporary by nature: a verifier answers 503 with {@code Retry-After}, never "invalid".
 */
public final class KeySourceUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public KeySourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
