package net.appstore.signer.core;

/** An authenticated caller asked for something its configuration does not allow: 403. */
public final class CallerNotAllowedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CallerNotAllowedException(String message) {
    super(message);
  }
}
