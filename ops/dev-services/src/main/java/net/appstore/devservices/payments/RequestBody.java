package net.appstore.devservices.payments;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Strict reading of a JSON request body: unknown parameters, wrong types and oversized strings are
 * refused with a 400 naming the parameter, as a real gateway would.
 */
final class RequestBody {

  static final int MAX_METADATA_KEYS = 50;
  static final int MAX_METADATA_KEY_LENGTH = 40;
  static final int MAX_METADATA_VALUE_LENGTH = 500;

  private final Map<String, Object> json;

  RequestBody(Map<String, Object> json, Set<String> allowed) {
    for (String name : json.keySet()) {
      if (!allowed.contains(name)) {
        throw ApiException.invalid(
            "parameter_unknown",
            name,
            "unknown parameter \""
                + name
                + "\"; allowed: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    this.json = json;
  }

  /**
   * @throws ApiException 400 when missing, not a string, empty or longer than {@code maxLength}
   */
  String requiredString(String name, int maxLength) {
    String value = optionalString(name, maxLength);
    if (value == null) {
      throw ApiException.invalid("parameter_missing", name, name + " is required");
    }
    return value;
  }

  /** The string, or null when absent or JSON null. */
  String optionalString(String name, int maxLength) {
    Object value = json.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiException.invalid(
          "parameter_invalid", name, name + " must be a JSON string (e.g. \"4.99\" for amounts)");
    }
    if (text.isEmpty() || text.length() > maxLength) {
      throw ApiException.invalid(
          "parameter_invalid", name, name + " must have 1 to " + maxLength + " characters");
    }
    return text;
  }

  /** Stripe's metadata rules: at most 50 string keys of up to 40 characters, string values. */
  SortedMap<String, String> metadata(String name) {
    Object value = json.get(name);
    if (value == null) {
      return Collections.emptySortedMap();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw ApiException.invalid("parameter_invalid", name, name + " must be a JSON object");
    }
    if (map.size() > MAX_METADATA_KEYS) {
      throw ApiException.invalid(
          "parameter_invalid", name, name + " has more than " + MAX_METADATA_KEYS + " keys");
    }
    SortedMap<String, String> metadata = new TreeMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = (String) entry.getKey();
      String param = name + "." + key;
      if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
        throw ApiException.invalid(
            "parameter_invalid",
            param,
            name + " keys must have 1 to " + MAX_METADATA_KEY_LENGTH + " characters");
      }
      if (!(entry.getValue() instanceof String text) || text.length() > MAX_METADATA_VALUE_LENGTH) {
        throw ApiException.invalid(
            "parameter_invalid",
            param,
            param + " must be a string of at most " + MAX_METADATA_VALUE_LENGTH + " characters");
      }
      metadata.put(key, text);
    }
    return Collections.unmodifiableSortedMap(metadata);
  }
}
