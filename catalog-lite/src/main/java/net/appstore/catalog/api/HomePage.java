package net.appstore.catalog.api;

import java.util.List;

/** {@code GET /api/v1/home}: featured apps and the most popular ones. */
public record HomePage(List<AppListItem> featured, List<AppListItem> popular) {}
