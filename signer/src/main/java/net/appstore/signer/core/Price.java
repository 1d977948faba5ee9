package net.appstore.signer.core;

import java.util.Objects;

/**
 * What the buyer paid, for the audit record only: receipts do not carry it.
 *
 * @param amount a decimal string such as {@code 0.99}, never a binary float
 * @param currency an ISO 4217 code such as {@code USD}
 */
public record Price(String amount, String currency) {

  public Price {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
  }
}
