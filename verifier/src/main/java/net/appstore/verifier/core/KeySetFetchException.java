package net.appstore.verifier.core;

/**
 * The key set could not be fetched (source unreachable, timeout, HTTP error) or was refused (not a
 * valid JWKS). Either way the verifier keeps its last good set, within its stale bound.
 */
public final class KeySetFetchException extends Exception {

  private static final long serialVersionUID = 1L;

  public KeySetFetchException(String message) {
    super(message);
  }

  public KeySetFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
