package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** {@code GET /api/v1/search?q=}: best matches first. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchResults(String query, int page, int pageSize, List<AppListItem> results) {}
