package net.appstore.receipt.jose;

/**
 * The key or its provider could not produce a signature. For an HSM this is usually temporary
 * (token gone, session lost), so the signer service answers 503 and its health check goes red; it
 * is never a reason to emit an unsigned or differently signed token.
 */
public final class SigningException extends Exception {

  private static final long serialVersionUID = 1L;

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
