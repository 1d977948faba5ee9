package net.appstore.signer.core;

/** The purchase id already has a receipt for other claims: 409, nothing signed or recorded. */
public final class PurchaseConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PurchaseConflictException(String message) {
    super(message);
  }
}
