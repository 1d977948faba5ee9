package net.appstore.catalog.core.purchase;

/** Has a receipt signed for a purchase, or throws: never a receipt without a signature. */
public interface ReceiptSigner {

  SignedReceipt sign(ReceiptOrder order) throws ReceiptSigningException;
}
