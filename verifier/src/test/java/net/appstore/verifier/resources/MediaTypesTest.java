package net.appstore.verifier.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Content negotiation as the former Jersey resource did it (observed over HTTPS, see README). */
class MediaTypesTest {

  @Test
  void isJson_jsonTypesInAnyCaseWithParameters_true() {
    for (String type :
        List.of(
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            " application/json ",
            "application/vnd.store+json")) {
      assertThat(MediaTypes.isJson(type)).as(type).isTrue();
    }
  }

  @Test
  void isJson_otherOrAbsentTypes_false() {
    for (String type : new String[] {null, "text/plain", "application/jsonx", "text/json"}) {
      assertThat(MediaTypes.isJson(type)).as(type).isFalse();
    }
  }

  @Test
  void isWellFormed_typeSlashSubtype_trueElseFalse() {
    assertThat(MediaTypes.isWellFormed(null)).isTrue();
    assertThat(MediaTypes.isWellFormed("text/plain; charset=utf-8")).isTrue();
    for (String bad : List.of("nonsense", "/json", "text/", "text/pl ain", "a/b/c", "")) {
      assertThat(MediaTypes.isWellFormed(bad)).as(bad).isFalse();
    }
  }

  @Test
  void acceptsJson_rangesCoveringJsonWithNonZeroQuality_true() {
    for (String accept :
        List.of("*/*", "application/*", "text/plain, application/json;q=0.1", "APPLICATION/JSON")) {
      assertThat(MediaTypes.acceptsJson(Collections.enumeration(List.of(accept))))
          .as(accept)
          .isTrue();
    }
    assertThat(MediaTypes.acceptsJson(Collections.emptyEnumeration())).isTrue();
  }

  @Test
  void acceptsJson_jsonRuledOut_false() {
    for (String accept : List.of("text/html", "application/json;q=0", "text/*, image/png")) {
      assertThat(MediaTypes.acceptsJson(Collections.enumeration(List.of(accept))))
          .as(accept)
          .isFalse();
    }
  }
}
