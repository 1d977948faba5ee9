package net.appstore.devservices.payments;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * A positive amount of money in an ISO 4217 currency, held at the currency's scale ({@code 4.9} EUR
 * is {@code 4.90}). Decimal strings only: a JSON number would invite binary floating point.
 *
 * @param value at exactly the currency's number of fraction digits
 */
record Amount(BigDecimal value, Currency currency) {

  /** The largest amount in minor units, as at Stripe: 999,999.99 in a two-decimal currency. */
  static final long MAX_MINOR_UNITS = 99_999_999L;

  private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,11})(\\.[0-9]{1,6})?");
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

  /**
   * Parses {@code "4.99"} in {@code currency}.
   *
   * @param param the request parameter the amount came from, named in errors
   * @throws ApiException 400 when the amount is not a positive decimal string with at most the
   *     currency's fraction digits, or is too large
   */
  static Amount parse(String amount, Currency currency, String param) {
    if (!DECIMAL.matcher(amount).matches()) {
      throw ApiException.invalid(
          "parameter_invalid",
          param,
          param
              + " must be a positive decimal string such as \"4.99\" (no sign, exponent,"
              + " grouping or spaces), not \""
              + amount
              + "\"");
    }
    BigDecimal value = new BigDecimal(amount);
    int digits = currency.getDefaultFractionDigits();
    if (value.stripTrailingZeros().scale() > digits) {
      throw ApiException.invalid(
          "parameter_invalid",
          param,
          currency.getCurrencyCode()
              + " has "
              + digits
              + " fraction digits; "
              + param
              + " \""
              + amount
              + "\" has more");
    }
    if (value.signum() <= 0) {
      throw ApiException.invalid(
          "amount_too_small", param, param + " must be greater than zero, not \"" + amount + "\"");
    }
    BigDecimal scaled = value.setScale(digits);
    if (scaled.unscaledValue().compareTo(BigDecimal.valueOf(MAX_MINOR_UNITS).toBigInteger()) > 0) {
      throw ApiException.invalid(
          "amount_too_large",
          param,
          param
              + " must be at most "
              + BigDecimal.valueOf(MAX_MINOR_UNITS, digits).toPlainString()
              + " "
              + currency.getCurrencyCode());
    }
    return new Amount(scaled, currency);
  }

  /**
   * The currency for an upper-case ISO 4217 code with a defined number of fraction digits.
   *
   * @throws ApiException 400 otherwise
   */
  static Currency currency(String code, String param) {
    if (CURRENCY_CODE.matcher(code).matches()) {
      try {
        Currency currency = Currency.getInstance(code);
        if (currency.getDefaultFractionDigits() >= 0) {
          return currency;
        }
      } catch (IllegalArgumentException e) {
        // not an ISO 4217 code: answered below
      }
    }
    throw ApiException.invalid(
        "currency_unsupported",
        param,
        param
            + " must be an upper-case ISO 4217 currency code such as \"EUR\", not \""
            + code
            + "\"");
  }

  /** {@code "4.99"}, always with the currency's number of fraction digits. */
  String text() {
    return value.toPlainString();
  }
}
