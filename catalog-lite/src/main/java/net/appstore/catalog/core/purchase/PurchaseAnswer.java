package net.appstore.catalog.core.purchase;

import java.time.Duration;

/**
 * What the purchase API answers: a status, a JSON body, and for 503 a Retry-After.
 *
 * @param replayed true when this is the stored answer of an earlier request with the same key
 */
public record PurchaseAnswer(int status, String body, Duration retryAfter, boolean replayed) {

  public PurchaseAnswer replay() {
    return new PurchaseAnswer(status, body, retryAfter, true);
  }
}
