package net.appstore.catalog.core;

import java.time.Duration;

/**
 * How an object cache behaves.
 *
 * @param maximumSize entries kept (least recently and frequently used go first)
 * @param freshFor after this age, a read triggers a background reload and is answered with the
 *     value at hand; concurrent reads never wait for a refresh
 * @param staleFor how much longer than {@code freshFor} a value may be served while reloads fail
 *     (the database is down): the bounded staleness of F4. After {@code freshFor + staleFor} the
 *     entry is gone and a read needs the database
 * @param partialRetryAfter a partial page (optional parts missing) is reloaded in the background
 *     once it is this old, instead of waiting for {@code freshFor}
 */
public record CacheSettings(
    long maximumSize, Duration freshFor, Duration staleFor, Duration partialRetryAfter) {

  public CacheSettings {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be positive");
    }
    if (freshFor.isNegative() || freshFor.isZero() || staleFor.isNegative()) {
      throw new IllegalArgumentException("freshFor must be positive and staleFor not negative");
    }
  }

  /** The oldest a served value can be. */
  public Duration maximumAge() {
    return freshFor.plus(staleFor);
  }
}
