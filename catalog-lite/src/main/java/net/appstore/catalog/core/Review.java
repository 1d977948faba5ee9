package net.appstore.catalog.core;

import java.time.Instant;

/** A review; {@code authorSub} is the author's OpenID Connect subject and is never published. */
public record Review(
    long id,
    String authorSub,
    String authorName,
    int rating,
    String body,
    Instant createdAt,
    Instant updatedAt) {}
