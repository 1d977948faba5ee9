package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** An active blocklist entry, as operators manage it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BlocklistEntryView(
    long id,
    String app,
    String minVersion,
    String maxVersion,
    String severity,
    String reason,
    Instant createdAt) {}
