package net.appstore.signer.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a {@code POST /v1/blocklists} body, {@code {"document": {...}}}. The document is the
 * catalog's business; the signer insists only on what makes it a signable blocklist:
 *
 * <ul>
 *   <li>{@code version} (positive integer), {@code generated_at} (string) and {@code entries}
 *       (array) are present;
 *   <li>{@code iss}, if present, is a string (whether the caller may use it is checked later);
 *       {@code iat} and {@code nbf}, if present, are integers not in the future beyond the skew;
 *       {@code exp}, if present, is an integer in the future;
 *   <li>every number is an integer within ±(2^53 − 1), as I-JSON and RFC 8785 require, so every
 *       parser reads the same value;
 *   <li>no top-level member is null (JWT libraries drop such claims, so the signed payload would
 *       differ from the document).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class BlocklistOrderParser {

  private static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);
  private static final Set<String> TOP = Set.of("document");

  private final Clock clock;
  private final Duration maxClockSkew;

  public BlocklistOrderParser(Clock clock, Duration maxClockSkew) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
  }

  /**
   * @throws InvalidRequestException listing every problem found
   */
  public BlocklistOrder parse(byte[] body) {
    JsonNode tree = StrictJson.read(body);
    if (!tree.isObject()) {
      throw InvalidRequestException.of("", "must be a JSON object");
    }
    JsonFields fields = new JsonFields();
    fields.refuseUnknown(tree, "", TOP);
    JsonNode document = tree.get("document");
    if (document == null || document.isNull()) {
      fields.add("document", "required");
    } else if (!document.isObject()) {
      fields.add("document", "must be a JSON object");
    }
    fields.throwIfAny();

    requirePositiveInteger(document, "version", fields);
    requireType(document, "generated_at", JsonNode::isTextual, "must be a string", fields);
    requireType(document, "entries", JsonNode::isArray, "must be an array", fields);
    Optional<String> iss = Optional.empty();
    JsonNode issNode = document.get("iss");
    if (issNode != null) {
      if (issNode.isTextual() && !issNode.textValue().isEmpty()) {
        iss = Optional.of(issNode.textValue());
      } else {
        fields.add("document.iss", "must be a non-empty string");
      }
    }
    Optional<Instant> iat = iat(document.get("iat"), fields);
    timeClaim(document.get("nbf"), "document.nbf", false, fields);
    timeClaim(document.get("exp"), "document.exp", true, fields);
    Map<String, Object> members = new TreeMap<>();
    for (Map.Entry<String, JsonNode> member : document.properties()) {
      String path = "document." + member.getKey();
      if (member.getValue().isNull()) {
        fields.add(path, "must not be null; leave the member out instead");
        continue;
      }
      if (!member.getKey().equals("iss") && !member.getKey().equals("iat")) {
        members.put(member.getKey(), plain(member.getValue(), path, fields));
      }
    }
    fields.throwIfAny();
    return new BlocklistOrder(members, iss, iat);
  }

  private Optional<Instant> iat(JsonNode iat, JsonFields fields) {
    if (iat == null) {
      return Optional.empty();
    }
    if (!iat.isIntegralNumber()
        || iat.bigIntegerValue().signum() <= 0
        || iat.bigIntegerValue().bitLength() > 40) {
      fields.add("document.iat", "must be a positive integer number of seconds since the epoch");
      return Optional.empty();
    }
    Instant value = Instant.ofEpochSecond(iat.longValue());
    if (value.isAfter(clock.instant().plus(maxClockSkew))) {
      fields.add(
          "document.iat", "is in the future (more than " + maxClockSkew.toSeconds() + " s ahead)");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** {@code nbf} must not lie in the future beyond the skew, {@code exp} must lie ahead. */
  private void timeClaim(JsonNode claim, String path, boolean expiry, JsonFields fields) {
    if (claim == null || claim.isNull()) {
      return;
    }
    if (!claim.isIntegralNumber() || claim.bigIntegerValue().bitLength() > 40) {
      fields.add(path, "must be an integer number of seconds since the epoch");
      return;
    }
    Instant value = Instant.ofEpochSecond(claim.longValue());
    Instant now = clock.instant();
    if (expiry && !value.isAfter(now)) {
      fields.add(path, "is not in the future: the blocklist would be born expired");
    } else if (!expiry && value.isAfter(now.plus(maxClockSkew))) {
      fields.add(path, "is in the future (more than " + maxClockSkew.toSeconds() + " s ahead)");
    }
  }

  private static void requirePositiveInteger(JsonNode document, String name, JsonFields fields) {
    JsonNode node = document.get(name);
    if (node == null) {
      fields.add("document." + name, "required");
    } else if (!node.isIntegralNumber() || node.bigIntegerValue().signum() <= 0) {
      fields.add("document." + name, "must be a positive integer");
    }
  }

  private static void requireType(
      JsonNode document,
      String name,
      java.util.function.Predicate<JsonNode> test,
      String reason,
      JsonFields fields) {
    JsonNode node = document.get(name);
    if (node == null) {
      fields.add("document." + name, "required");
    } else if (!test.test(node)) {
      fields.add("document." + name, reason);
    }
  }

  /** The tree as plain values, object members sorted; reports numbers outside I-JSON. */
  private static Object plain(JsonNode node, String path, JsonFields fields) {
    if (node.isObject()) {
      Map<String, Object> object = new TreeMap<>();
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        object.put(member.getKey(), plain(member.getValue(), path + "." + member.getKey(), fields));
      }
      return object;
    }
    if (node.isArray()) {
      List<Object> array = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        array.add(plain(node.get(i), path + "[" + i + "]", fields));
      }
      return array;
    }
    if (node.isNumber()) {
      if (!node.isIntegralNumber() || node.bigIntegerValue().abs().compareTo(MAX_SAFE) > 0) {
        fields.add(path, "numbers must be integers within ±(2^53 − 1)");
        return null;
      }
      return node.longValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return null; // JSON null inside the document: kept as is
  }
}
