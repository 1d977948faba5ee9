package net.appstore.devservices.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountTest {

  @ParameterizedTest
  @CsvSource({
    "5, EUR, 5.00",
    "4.9, EUR, 4.90",
    "4.990, EUR, 4.99",
    "0.01, USD, 0.01",
    "100, JPY, 100",
    "100.0, JPY, 100",
    "1.234, KWD, 1.234",
    "999999.99, EUR, 999999.99",
    "99999999, JPY, 99999999"
  })
  void parse_validAmount_heldAtTheCurrencyScale(String amount, String currency, String text) {
    assertThat(Amount.parse(amount, Currency.getInstance(currency), "amount").text())
        .isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "0, EUR, amount_too_small",
    "0.00, EUR, amount_too_small",
    "0.001, EUR, parameter_invalid",
    "-1, EUR, parameter_invalid",
    "+1, EUR, parameter_invalid",
    "01.00, EUR, parameter_invalid",
    "1., EUR, parameter_invalid",
    ".5, EUR, parameter_invalid",
    "1 000, EUR, parameter_invalid",
    "1e3, EUR, parameter_invalid",
    "0.5, JPY, parameter_invalid",
    "1000000.00, EUR, amount_too_large",
    "100000000, JPY, amount_too_large"
  })
  void parse_invalidAmount_400WithCode(String amount, String currency, String code) {
    assertThatThrownBy(() -> Amount.parse(amount, Currency.getInstance(currency), "amount"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(code);
            });
  }

  @ParameterizedTest
  @CsvSource({"eur", "EURO", "ABC", "XXX", "XAU", "''"})
  void currency_notAnUpperCaseIsoCodeWithFractionDigits_400(String code) {
    assertThatThrownBy(() -> Amount.currency(code, "currency"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("currency_unsupported"));
  }
}
