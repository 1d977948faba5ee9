package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/developers/{slug}/stats}, for the developer (or an operator): per-app
 * downloads and ratings, read from the replica; {@code as_of} says when.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeveloperStats(
    String developer,
    Instant asOf,
    int apps,
    long weeklyDownloads,
    long reviews,
    List<AppStats> perApp) {

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AppStats(
      String slug, String name, String status, long weeklyDownloads, RatingView rating) {}
}
