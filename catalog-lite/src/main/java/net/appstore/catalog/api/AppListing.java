package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** One page of {@code GET /api/v1/apps}; pages count from 1. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AppListing(
    String category, String sort, int page, int pageSize, long total, List<AppListItem> items) {}
