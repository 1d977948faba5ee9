package net.appstore.catalog.api;

/** A price: {@code amount} as a decimal string ("0.99"), ISO 4217 {@code currency}. */
public record PriceView(String amount, String currency) {}
