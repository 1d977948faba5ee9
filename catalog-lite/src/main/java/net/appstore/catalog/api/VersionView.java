package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The current version on an app page. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record VersionView(String version, Instant releasedAt, String minPlatformVersion) {}
