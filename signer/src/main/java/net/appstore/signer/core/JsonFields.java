package net.appstore.signer.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import net.appstore.signer.api.FieldError;

/**
 * Collects field-level problems while a request tree is read, so one 400 names all of them. Not
 * thread-safe: one per request.
 */
final class JsonFields {

  /** Unknown member names are echoed, so cut them short. */
  private static final int MAX_ECHOED_NAME = 64;

  private final List<FieldError> errors = new ArrayList<>();

  void add(String field, String reason) {
    errors.add(new FieldError(field, reason));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Throws the collected problems, if any. */
  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  static String path(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /**
   * The object at {@code path}, reporting it if it is missing or not an object; unknown members are
   * reported too. Returns null when unusable.
   */
  JsonNode object(JsonNode parent, String name, String path, Set<String> allowed) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      add(path, "required");
      return null;
    }
    if (!node.isObject()) {
      add(path, "must be a JSON object");
      return null;
    }
    refuseUnknown(node, path, allowed);
    return node;
  }

  /** Reports every member of {@code object} whose name is not in {@code allowed}. */
  void refuseUnknown(JsonNode object, String path, Set<String> allowed) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String shown = name.length() > MAX_ECHOED_NAME ? name.substring(0, MAX_ECHOED_NAME) : name;
        add(path(path, shown), "unknown field");
      }
    }
  }

  /**
   * The string member, checked for presence, type and length. Returns null (after reporting) when
   * unusable; an absent optional member is null without a report.
   */
  String string(JsonNode parent, String name, String path, int maxLength, boolean required) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        add(path, "required");
      }
      return null;
    }
    if (!node.isTextual()) {
      add(path, "must be a string");
      return null;
    }
    String value = node.textValue();
    if (value.isEmpty()) {
      add(path, "must not be empty");
      return null;
    }
    if (value.length() > maxLength) {
      add(path, "longer than " + maxLength + " characters");
      return null;
    }
    return value;
  }
}
