package net.appstore.catalog.core.purchase;

import java.time.Duration;

/** The signer issued no receipt; {@code retryAfter} is what to tell the buyer. */
public final class ReceiptSigningException extends Exception {

  private final Duration retryAfter;

  public ReceiptSigningException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
