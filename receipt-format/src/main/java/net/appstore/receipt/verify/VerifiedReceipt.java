package net.appstore.receipt.verify;

import net.appstore.receipt.Receipt;

/**
 * A receipt whose signature, key and claims have been checked by {@link ReceiptVerifier}, the only
 * class that can make one: code holding a {@code VerifiedReceipt} knows it was verified, not merely
 * parsed. It carries the claims only; algorithm and key id are verification details business code
 * has no use for.
 */
public final class VerifiedReceipt {

  private final Receipt receipt;

  VerifiedReceipt(Receipt receipt) {
    this.receipt = receipt;
  }

  public Receipt receipt() {
    return receipt;
  }

  @Override
  public String toString() {
    return "VerifiedReceipt{jti=" + receipt.jti() + ", typ=" + receipt.typ().claimValue() + "}";
  }
}
