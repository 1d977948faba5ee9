package net.appstore.receipt;

import java.net.URI;
import java.util.Objects;

/**
 * The {@code product} claim: which app the receipt is for.
 *
 * @param url the app's origin, for example {@code https://chess.example}; the app compares it with
 *     its own origin, so a receipt for one app cannot unlock another
 * @param storedata opaque data the store needs to find the purchase again (for example {@code
 *     id=1042}); apps must not interpret it
 */
public record Product(URI url, String storedata) {

  public Product {
    Claims.requireAbsolute(url, "product.url");
    Objects.requireNonNull(storedata, "product.storedata");
    if (storedata.isEmpty()) {
      throw new IllegalArgumentException("product.storedata must not be empty");
    }
  }
}
