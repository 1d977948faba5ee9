package net.appstore.catalog.core.purchase;

/** The gateway certainly did not process the request (refused, 503, connection refused). */
public final class GatewayUnavailableException extends Exception {

  public GatewayUnavailableException(String message) {
    super(message);
  }
}
