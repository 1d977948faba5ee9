package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/blocklist/entries} (operators): block versions {@code min_version} to
 * {@code max_version} (inclusive; {@code *}: all later) of an app.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NewBlocklistEntry(
    @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String app,
    @Pattern(regexp = "[0-9A-Za-z.+*-]{1,32}") String minVersion,
    @Pattern(regexp = "[0-9A-Za-z.+*-]{1,32}") String maxVersion,
    @NotNull @Pattern(regexp = "soft|hard") String severity,
    @NotNull @Size(min = 1, max = 1000) String reason) {}
