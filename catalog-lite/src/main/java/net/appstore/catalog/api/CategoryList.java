package net.appstore.catalog.api;

import java.util.List;

/** {@code GET /api/v1/categories}. */
public record CategoryList(List<CategoryView> categories) {}
