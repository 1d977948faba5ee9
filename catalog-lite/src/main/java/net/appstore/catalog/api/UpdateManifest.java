package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/update}, in the shape of the Firefox update manifest: {@code {"addons":
 * {"<slug>": {"updates": [...]}}}}, with at most one update (the newest compatible version) and an
 * empty list for "no update".
 */
public record UpdateManifest(Map<String, Addon> addons) {

  public record Addon(List<Update> updates) {}

  /**
   * @param updateHash {@code sha256:<hex>} of the package
   * @param applications {@code {"gecko": {"strict_min_version": "<platform version>"}}}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Update(
      String version,
      String updateLink,
      String updateHash,
      Map<String, Map<String, String>> applications) {}

  public static UpdateManifest noUpdate(String slug) {
    return new UpdateManifest(Map.of(slug, new Addon(List.of())));
  }

  public static UpdateManifest update(String slug, Update update) {
    return new UpdateManifest(Map.of(slug, new Addon(List.of(update))));
  }
}
