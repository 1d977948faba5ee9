package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.appstore.catalog.core.BlocklistEntry;

/**
 * The blocklist payload: {@code {"version": N, "generated_at": "<RFC 3339>", "entries": [...],
 * "iss": "<catalog URL>", "iat": <seconds>}}. {@code iss} and {@code iat} are what every signed
 * document of the store carries (the signer insists on them); {@code iat} equals {@code
 * generated_at}. Entries are in id order, each {@code {"id", "app", "min_version", "max_version",
 * "severity", "reason", "created_at"}}. Immutable.
 */
public record BlocklistDocument(
    long version, Instant generatedAt, String issuer, List<BlocklistEntry> entries) {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public BlocklistDocument {
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive");
    }
    generatedAt = generatedAt.truncatedTo(ChronoUnit.SECONDS);
    entries = List.copyOf(entries);
  }

  /** The payload as a JSON object. */
  public ObjectNode toJson() {
    ObjectNode doc = NODES.objectNode();
    doc.put("version", version);
    doc.put("generated_at", generatedAt.toString());
    doc.put("iss", issuer);
    doc.put("iat", generatedAt.getEpochSecond());
    ArrayNode list = doc.putArray("entries");
    for (BlocklistEntry e : entries) {
      ObjectNode entry = list.addObject();
      entry.put("id", e.id());
      entry.put("app", e.app());
      entry.put("min_version", e.minVersion());
      entry.put("max_version", e.maxVersion());
      entry.put("severity", e.severity());
      entry.put("reason", e.reason());
      entry.put("created_at", e.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return doc;
  }

  /** The RFC 8785 bytes: what is signed and what {@code blocklist.json} holds. */
  public byte[] canonicalBytes() {
    return CanonicalJson.bytes(toJson());
  }

  /** What a previous publication said about itself, read back from its JSON. */
  public record Summary(
      long version, Instant generatedAt, int entryCount, String entriesCanonical) {

    /**
     * @throws IllegalArgumentException if {@code json} is not a blocklist payload
     */
    public static Summary of(JsonNode json) {
      JsonNode version = json.get("version");
      JsonNode generatedAt = json.get("generated_at");
      JsonNode entries = json.get("entries");
      if (version == null
          || !version.canConvertToLong()
          || generatedAt == null
          || !generatedAt.isTextual()
          || entries == null
          || !entries.isArray()) {
        throw new IllegalArgumentException("not a blocklist payload");
      }
      try {
        return new Summary(
            version.longValue(),
            Instant.parse(generatedAt.textValue()),
            entries.size(),
            CanonicalJson.string(entries));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("generated_at is not an RFC 3339 time", e);
      }
    }
  }

  public Summary summary() {
    ObjectNode json = toJson();
    return new Summary(
        version, generatedAt, entries.size(), CanonicalJson.string(json.get("entries")));
  }
}
