package net.appstore.catalog.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Orders of {@code GET /api/v1/apps}. {@code rating} ranks by a Bayesian mean (ten phantom ratings
 * of 3 stars) so that one 5-star review does not beat a thousand 4.8s.
 */
public enum ListingSort {
  POPULAR("a.weekly_downloads DESC, a.id"),
  NEW("a.created_at DESC, a.id"),
  RATING("(coalesce(r.total, 0) + 30.0) / (coalesce(r.count, 0) + 10) DESC, a.id");

  private final String orderBy;

  ListingSort(String orderBy) {
    this.orderBy = orderBy;
  }

  /** The SQL {@code ORDER BY} list; a constant, never built from input. */
  public String orderBy() {
    return orderBy;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ListingSort> fromWire(String name) {
    for (ListingSort sort : values()) {
      if (sort.wireName().equals(name)) {
        return Optional.of(sort);
      }
    }
    return Optional.empty();
  }
}
