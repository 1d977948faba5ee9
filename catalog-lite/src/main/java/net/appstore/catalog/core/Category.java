package net.appstore.catalog.core;

/** A category and how many public apps are in it. */
public record Category(int id, String slug, String name, long appCount) {}
