package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the documents the catalog signs: object members
 * sorted by the UTF-16 code units of their names, no insignificant whitespace, strings escaped
 * exactly as ECMAScript's {@code JSON.stringify} does, UTF-8.
 *
 * <p>Numbers are limited to integers of at most 2^53 - 1 in magnitude, which JCS writes as plain
 * decimals; documents here need no fractions, and refusing them avoids reimplementing ECMAScript
 * double formatting. Strings must be valid Unicode (no lone surrogates), as JCS requires. Stateless
 * and thread-safe.
 */
public final class CanonicalJson {

  private static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /**
   * @throws IllegalArgumentException for a non-integer or unsafe number, or a lone surrogate
   */
  public static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  public static String string(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(String::compareTo); // String order is UTF-16 code unit order, as JCS requires
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeString(names.get(i), out);
          out.append(':');
          write(node.get(names.get(i)), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> writeNumber(node, out);
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
    }
  }

  private static void writeNumber(JsonNode node, StringBuilder out) {
    BigInteger value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isBigDecimal() && node.decimalValue().stripTrailingZeros().scale() <= 0) {
      value = node.decimalValue().toBigIntegerExact();
    } else {
      double d = node.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("only integers are supported, not " + node);
      }
      value = java.math.BigDecimal.valueOf(d).toBigIntegerExact();
    }
    if (value.abs().compareTo(MAX_SAFE) > 0) {
      throw new IllegalArgumentException("integer beyond 2^53 - 1: " + value);
    }
    out.append(value);
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException("lone surrogate in a string");
        }
        out.append(c).append(s.charAt(++i));
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("lone surrogate in a string");
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
