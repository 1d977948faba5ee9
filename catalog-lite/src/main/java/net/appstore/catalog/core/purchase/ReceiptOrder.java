package net.appstore.catalog.core.purchase;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What the store asks the signer to sign for one purchase ({@code POST /v1/receipts}).
 *
 * @param purchaseId the purchase; the signer answers the same receipt for the same id and claims
 * @param productUrl the app's origin
 * @param storedata opaque store data, printable ASCII
 * @param directedUser the per-app pseudonym of the buyer ({@link DirectedIdentifier})
 * @param nbf the purchase time
 * @param amount the price (zero for a free app)
 * @param currency ISO 4217
 */
public record ReceiptOrder(
    String purchaseId,
    String productUrl,
    String storedata,
    String directedUser,
    Instant nbf,
    BigDecimal amount,
    String currency) {}
