package net.appstore.service;

import java.util.Optional;

/**
 * What {@code /__version__} reports: the service, its version (from the jar manifest, {@code dev}
 * when run from classes) and the source commit ({@code SOURCE_COMMIT} in the environment, set by
 * the deployment).
 */
public record ServiceVersion(String name, String version, String commit, String source) {

  static ServiceVersion of(String name, Class<?> anchor) {
    String version =
        Optional.ofNullable(anchor.getPackage().getImplementationVersion()).orElse("dev");
    String commit = Optional.ofNullable(System.getenv("SOURCE_COMMIT")).orElse("unknown");
    return new ServiceVersion(name, version, commit, "receipts");
  }
}
