package net.appstore.catalog.core;

import java.time.Instant;

/**
 * A blocked range of versions of one app ({@code app} is its slug); {@code maxVersion} {@code *}
 * means every version from {@code minVersion} on.
 */
public record BlocklistEntry(
    long id,
    String app,
    String minVersion,
    String maxVersion,
    String severity,
    String reason,
    Instant createdAt) {}
