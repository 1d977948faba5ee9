package net.appstore.signer.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads request bodies as JSON trees, strictly: one JSON value and nothing after it, no duplicate
 * member names (two parsers must never disagree about what was signed), no comments or other
 * extensions, bounded nesting. Numbers keep their exact form (big decimals), so a fraction or an
 * out-of-range integer is seen as such. Stateless, thread-safe.
 */
public final class StrictJson {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxStringLength(1 << 20)
                .maxNumberLength(64)
                .build());
  }

  private StrictJson() {}

  /**
   * @throws InvalidRequestException if the body is not exactly one well-formed JSON value
   */
  public static JsonNode read(byte[] body) {
    if (body == null || body.length == 0) {
      throw InvalidRequestException.of("", "the body is empty; a JSON object is expected");
    }
    try (JsonParser parser = MAPPER.createParser(body)) {
      JsonNode tree = MAPPER.readTree(parser);
      if (tree == null) {
        throw InvalidRequestException.of("", "the body is empty; a JSON object is expected");
      }
      return tree;
    } catch (IOException e) {
      // The parser's message may quote input; say only where it broke.
      throw InvalidRequestException.of(
          "", "the body is not well-formed JSON (duplicate member names are refused too)");
    }
  }
}
