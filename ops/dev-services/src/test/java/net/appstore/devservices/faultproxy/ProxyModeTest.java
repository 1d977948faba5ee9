package net.appstore.devservices.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyModeTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {"pass|pass", " REFUSE |refuse", "hang\t|hang", "slow=250|slow=250", "Slow=1|slow=1"})
  void parse_acceptedForms_roundTripToTheirCanonicalText(String text, String canonical) {
    assertThat(ProxyMode.parse(text).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "drop", "slow", "slow=", "slow=abc", "slow=0", "slow=-5", "slow=300001"})
  void parse_anythingElse_refusedWithTheAcceptedForms(String text) {
    assertThatThrownBy(() -> ProxyMode.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(unknown mode .*pass, refuse, hang, slow=<ms>|slow.*)");
  }

  @Test
  void slow_carriesItsDelay() {
    assertThat(ProxyMode.parse("slow=250").delay()).isEqualTo(Duration.ofMillis(250));
  }
}
