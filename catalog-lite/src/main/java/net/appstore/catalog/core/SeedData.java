package net.appstore.catalog.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A complete, generated catalog, ready to be bulk-loaded into empty tables. Ids are assigned by the
 * generator (1, 2, ...) so that rows can reference each other before they reach the database.
 */
public record SeedData(
    List<Developer> developers,
    List<Category> categories,
    List<App> apps,
    List<AppCategory> appCategories,
    List<Version> versions,
    List<Review> reviews,
    List<BlocklistEntry> blocklistEntries) {

  public record Developer(long id, String slug, String name, String email, String oidcSubject) {}

  public record Category(int id, String slug, String name, int position) {}

  /** {@code priceAmount} and {@code priceCurrency} are both null for a free app. */
  public record App(
      long id,
      String slug,
      String name,
      String summary,
      String description,
      long developerId,
      String originUrl,
      BigDecimal priceAmount,
      String priceCurrency,
      String status,
      boolean featured,
      long weeklyDownloads,
      Instant createdAt) {}

  public record AppCategory(long appId, int categoryId) {}

  public record Version(
      long id,
      long appId,
      String version,
      Instant releasedAt,
      String packageUrl,
      String packageSha256,
      String minPlatformVersion) {}

  public record Review(
      long id,
      long appId,
      String authorSub,
      String authorName,
      int rating,
      String body,
      Instant createdAt) {}

  public record BlocklistEntry(
      long id,
      long appId,
      String minVersion,
      String maxVersion,
      String severity,
      String reason,
      Instant createdAt) {}
}
