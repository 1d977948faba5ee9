package net.appstore.catalog.core;

/** A developer account; {@code oidcSubject} is null until a person claims it. */
public record Developer(long id, String slug, String name, String oidcSubject) {}
