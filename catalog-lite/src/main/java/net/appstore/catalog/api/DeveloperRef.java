package net.appstore.catalog.api;

/** Who makes an app. */
public record DeveloperRef(String slug, String name) {}
