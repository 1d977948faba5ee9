package net.appstore.catalog.core.blocklist;

import java.time.Instant;
import java.util.Set;

/**
 * The outcome of a publication run.
 *
 * @param published false when the run skipped (nothing changed, or another instance publishes)
 */
public record PublicationResult(
    boolean published,
    long version,
    Instant generatedAt,
    int entryCount,
    String kid,
    Set<PublicationOverride> overridesUsed,
    String note) {

  static PublicationResult skipped(String note) {
    return new PublicationResult(false, 0, null, 0, null, Set.of(), note);
  }
}
