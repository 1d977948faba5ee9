package net.appstore.catalog.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolkitVersionTest {

  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
    "1.0, 1.1",
    "1.0, 1.0.1",
    "1.9, 1.10",
    "1.0b1, 1.0",
    "1.0a1, 1.0b1",
    "1.0pre1, 1.0",
    "1.0b1, 1.0b2",
    "1.0b2, 1.0b10",
    "1.0, 1.0+",
    "1.0+, 1.1",
    "1.1pre, 1.1",
    "2.0, 10.0",
    "1.*, 2.0",
    "99, *",
    "1.-1, 1",
  })
  void compare_orderedPair_firstIsLower(String lower, String higher) {
    assertThat(ToolkitVersion.compare(lower, higher)).isNegative();
    assertThat(ToolkitVersion.compare(higher, lower)).isPositive();
  }

  @ParameterizedTest(name = "{0} == {1}")
  @CsvSource({"1, 1.0", "1.0, 1.0.0", "1.0+, 1.1pre", "1.1pre0, 1.1pre", "0, ''"})
  void compare_equivalentSpellings_equal(String a, String b) {
    assertThat(ToolkitVersion.compare(a, b)).isZero();
    assertThat(ToolkitVersion.parse(a)).isEqualTo(ToolkitVersion.parse(b));
  }

  @ParameterizedTest
  @CsvSource({"99999999999999999999999, 1", "1.2.3.4.5.6.7.8.9, 1.2.3.4.5.6.7.8"})
  void compare_hugeOrLongVersions_noOverflow(String bigger, String smaller) {
    assertThat(ToolkitVersion.compare(bigger, smaller)).isPositive();
  }
}
