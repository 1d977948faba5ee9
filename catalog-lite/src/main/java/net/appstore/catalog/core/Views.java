package net.appstore.catalog.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import net.appstore.catalog.api.AppListItem;
import net.appstore.catalog.api.PriceView;
import net.appstore.catalog.api.RatingView;
import net.appstore.catalog.api.ReviewView;

/**
 * Turns records read from the database into the wire shapes of {@code net.appstore.catalog.api}.
 */
public final class Views {

  private Views() {}

  /** Null for a free app. */
  public static PriceView price(BigDecimal amount, String currency) {
    return amount == null ? null : new PriceView(amount.toPlainString(), currency);
  }

  public static RatingView rating(int count, int total) {
    return new RatingView(average(count, total), count, null);
  }

  public static RatingView rating(RatingSummary r) {
    Map<String, Integer> histogram = new LinkedHashMap<>();
    histogram.put("1", r.stars1());
    histogram.put("2", r.stars2());
    histogram.put("3", r.stars3());
    histogram.put("4", r.stars4());
    histogram.put("5", r.stars5());
    return new RatingView(average(r.count(), r.total()), r.count(), histogram);
  }

  public static AppListItem listItem(AppSummary app) {
    return new AppListItem(
        app.slug(),
        app.name(),
        app.summary(),
        price(app.priceAmount(), app.priceCurrency()),
        rating(app.ratingCount(), app.ratingTotal()));
  }

  public static ReviewView review(Review review) {
    return new ReviewView(
        review.id(),
        review.authorName(),
        review.rating(),
        review.body(),
        review.createdAt(),
        review.updatedAt());
  }

  private static Double average(int count, int total) {
    if (count == 0) {
      return null;
    }
    return BigDecimal.valueOf(total)
        .divide(BigDecimal.valueOf(count), 1, RoundingMode.HALF_UP)
        .doubleValue();
  }
}
