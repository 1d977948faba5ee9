package net.appstore.signer.core;

import java.util.Objects;
import net.appstore.signer.db.StoredReceipt;

/**
 * The receipt answered for a request.
 *
 * @param receipt what is stored and logged
 * @param created true if this request issued it (201), false if it was issued before for the same
 *     purchase and claims (200)
 */
public record IssuedReceipt(StoredReceipt receipt, boolean created) {

  public IssuedReceipt {
    Objects.requireNonNull(receipt, "receipt");
  }
}
