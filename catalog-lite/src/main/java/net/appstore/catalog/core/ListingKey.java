package net.appstore.catalog.core;

import java.util.Optional;

/** Which page of which listing; {@code category} empty means all categories. */
public record ListingKey(Optional<String> category, ListingSort sort, int page) {}
