package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * {@code GET /api/v1/apps/{slug}}. When reviews or ratings could not be read the page is still
 * served: {@code partial} is true, {@code unavailable} names what is missing, and {@code rating}
 * and {@code reviews} are null (F5). {@code current_version} is null for an app without versions.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AppPage(
    String slug,
    String name,
    String summary,
    String description,
    DeveloperRef developer,
    List<String> categories,
    String originUrl,
    PriceView price,
    VersionView currentVersion,
    RatingView rating,
    List<ReviewView> reviews,
    boolean partial,
    List<String> unavailable) {

  /** This page with {@code reviews} in place of its own list (the author's review merged in). */
  public AppPage withReviews(List<ReviewView> replacement) {
    return new AppPage(
        slug,
        name,
        summary,
        description,
        developer,
        categories,
        originUrl,
        price,
        currentVersion,
        rating,
        replacement,
        partial,
        unavailable);
  }
}
