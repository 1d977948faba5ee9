package net.appstore.catalog.core.purchase;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The payment gateway, one method per operation. Every call either answers what the gateway
 * recorded or throws: {@link GatewayUnavailableException} when the request was certainly not
 * processed (nothing charged), {@link ChargeOutcomeUnknownException} when it may have been (look
 * the charge up by key before anything else). Implementations are thread-safe.
 */
public interface PaymentGateway {

  /**
   * Charges under {@code idempotencyKey} (the purchase id): the same key always names one charge.
   */
  GatewayCharge charge(String idempotencyKey, BigDecimal amount, String currency, String purchaseId)
      throws GatewayUnavailableException, ChargeOutcomeUnknownException;

  /** The charge recorded under the key, with its current status, if any. */
  Optional<GatewayCharge> lookup(String idempotencyKey) throws ChargeOutcomeUnknownException;

  /**
   * Refunds a charge in full under its own idempotency key; a charge refunded before counts as
   * done.
   */
  void refund(String chargeId, String idempotencyKey)
      throws GatewayUnavailableException, ChargeOutcomeUnknownException;

  /** The ledger page after {@code startingAfter} (null: from the start), for the reconciler. */
  LedgerPage ledger(String startingAfter, int limit) throws ChargeOutcomeUnknownException;
}
