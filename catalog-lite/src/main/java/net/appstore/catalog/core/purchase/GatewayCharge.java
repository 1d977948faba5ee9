package net.appstore.catalog.core.purchase;

/**
 * A charge as the gateway recorded it.
 *
 * @param id the gateway's charge id
 * @param status {@code succeeded}, {@code declined} or {@code refunded}
 */
public record GatewayCharge(String id, String status) {

  public boolean moneyMoved() {
    return "succeeded".equals(status) || "refunded".equals(status);
  }
}
