package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** A review as everyone sees it: the author's display name, never their account id. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReviewView(
    long id, String author, int rating, String body, Instant createdAt, Instant updatedAt) {}
