package net.appstore.catalog.core;

import java.time.Instant;

/** A released version of an app; {@code packageSha256} is lower-case hex. */
public record AppVersion(
    String version,
    Instant releasedAt,
    String packageUrl,
    String packageSha256,
    String minPlatformVersion) {}
