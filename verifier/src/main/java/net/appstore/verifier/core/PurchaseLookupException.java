package net.appstore.verifier.core;

/** A purchase database could not answer: temporary, never a verdict about a receipt. */
public final class PurchaseLookupException extends Exception {

  private static final long serialVersionUID = 1L;

  public PurchaseLookupException(String message, Throwable cause) {
    super(message, cause);
  }
}
