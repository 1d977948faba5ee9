package net.appstore.catalog.core;

/** One of a developer's apps in their statistics, whatever its status. */
public record DeveloperAppStats(
    String slug,
    String name,
    String status,
    long weeklyDownloads,
    int ratingCount,
    int ratingTotal) {}
