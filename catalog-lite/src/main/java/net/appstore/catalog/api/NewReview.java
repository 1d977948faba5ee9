package net.appstore.catalog.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/apps/{slug}/reviews}: 1 to 5 stars and an optional text. */
public record NewReview(@NotNull @Min(1) @Max(5) Integer rating, @Size(max = 2000) String body) {}
