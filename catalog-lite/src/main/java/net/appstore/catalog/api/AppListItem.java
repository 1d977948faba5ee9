package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** An app in a listing, on the homepage or in search results. {@code price} is null: free. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AppListItem(
    String slug, String name, String summary, PriceView price, RatingView rating) {}
