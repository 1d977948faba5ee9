package net.appstore.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AbsoluteUrisTest {

  @Test
  void remembered_sameTextTwice_sameUriAsANewParse() {
    String text = "https://store.example/api/v1/receipts/verify?x=" + System.nanoTime();

    URI first = AbsoluteUris.remembered(text).orElseThrow();
    URI second = AbsoluteUris.remembered(text).orElseThrow();

    assertThat(second).isSameAs(first).isEqualTo(URI.create(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/relative/path", "store.example", "", "https://exa mple/<script>"})
  void remembered_relativeOrUnparsable_emptyEveryTime(String text) {
    for (int i = 0; i < 2; i++) {
      assertThat(AbsoluteUris.remembered(text)).isEmpty();
      assertThat(AbsoluteUris.parse(text)).isEmpty();
    }
  }

  @Test
  void remembered_moreDistinctUrisThanCapacity_memoryStaysBoundedAndAnswersStayRight() {
    for (int i = 0; i < 3 * AbsoluteUris.CAPACITY; i++) {
      String text = "https://app-" + i + ".example/";

      assertThat(AbsoluteUris.remembered(text)).contains(URI.create(text));
      assertThat(AbsoluteUris.size()).isLessThanOrEqualTo(AbsoluteUris.CAPACITY);
    }
  }

  @Test
  void parse_absoluteUri_notRemembered() {
    String text = "https://store.example/receipts/" + System.nanoTime();

    URI first = AbsoluteUris.parse(text).orElseThrow();

    assertThat(first).isEqualTo(URI.create(text));
    assertThat(AbsoluteUris.parse(text).orElseThrow()).isNotSameAs(first);
  }
}
