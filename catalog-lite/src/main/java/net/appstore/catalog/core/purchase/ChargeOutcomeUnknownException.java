package net.appstore.catalog.core.purchase;

/** The gateway may or may not have processed the request (timeout, lost response, 500). */
public final class ChargeOutcomeUnknownException extends Exception {

  public ChargeOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
