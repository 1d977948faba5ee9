package net.appstore.receipt.keys;

/** A published key is not vouched for by the pinned root at the date in question. */
public final class UntrustedKeyException extends Exception {

  private static final long serialVersionUID = 1L;

  public UntrustedKeyException(String message) {
    super(message);
  }

  public UntrustedKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
