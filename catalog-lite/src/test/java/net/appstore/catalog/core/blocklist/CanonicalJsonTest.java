package net.appstore.catalog.core.blocklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 8785 section 3.2.3 and appendix vectors, restricted to the integers this module emits. */
class CanonicalJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void string_rfc8785SortingExample_sortsByUtf16CodeUnits() throws Exception {
    String input =
        "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
            + " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
            + " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
            + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";

    String canonical = CanonicalJson.string(JSON.readTree(input));

    assertThat(canonical)
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void bytes_controlAndEscapedCharacters_escapedLikeJsonStringify() throws Exception {
    String input = "{\"s\": \"\\u0000\\b\\f\\n\\r\\t\\u001f\\\"\\\\/\\u007f\\u00e9\"}";

    byte[] canonical = CanonicalJson.bytes(JSON.readTree(input));

    assertThat(new String(canonical, StandardCharsets.UTF_8))
        .isEqualTo("{\"s\":\"\\u0000\\b\\f\\n\\r\\t\\u001f\\\"\\\\/\u007f\u00e9\"}");
  }

  @Test
  void string_nestedArraysAndLiterals_noWhitespace() throws Exception {
    String input = "{ \"b\" : [ 1 , true , null , { \"y\":2, \"x\":1 } ], \"a\" : -0 }";

    assertThat(CanonicalJson.string(JSON.readTree(input)))
        .isEqualTo("{\"a\":0,\"b\":[1,true,null,{\"x\":1,\"y\":2}]}");
  }

  @Test
  void string_integerBeyondSafeRange_refused() {
    assertThatThrownBy(() -> CanonicalJson.string(JSON.readTree("{\"n\": 9007199254740993}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void string_fraction_refused() {
    assertThatThrownBy(() -> CanonicalJson.string(JSON.readTree("{\"n\": 1.5}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void string_loneSurrogate_refused() {
    assertThatThrownBy(() -> CanonicalJson.string(JSON.readTree("{\"s\": \"\\ud800\"}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
