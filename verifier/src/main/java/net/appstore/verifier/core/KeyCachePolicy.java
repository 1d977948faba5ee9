package net.appstore.verifier.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link CachedKeySource} keeps the key set.
 *
 * @param refreshEvery a set older than this is refetched in the background; normally no set is
 *     older than this, so it is also how long a newly published or retired key takes to be seen
 * @param maxStale a set older than this (since its fetch) is never used, whatever the source's
 *     state: how long a JWKS outage is survived, and the worst-case delay for a retirement
 * @param minRefreshInterval at most one fetch for unknown kids per this interval (a kid that must
 *     wait for the next one is answered "cannot say now", never "unknown"), and no fetch is
 *     attempted within this time after a failed one
 * @param negativeCacheFor how long a kid missing from the set is remembered from its first
 *     sighting: meanwhile any set fetched after that sighting answers for it without a fetch of its
 *     own
 * @param refreshWait how long a request with an unknown kid waits for another request's fetch in
 *     progress (a fetch itself is bounded by the fetcher's connect and read timeouts)
 */
public record KeyCachePolicy(
    Duration refreshEvery,
    Duration maxStale,
    Duration minRefreshInterval,
    Duration negativeCacheFor,
    Duration refreshWait) {

  public KeyCachePolicy {
    requirePositive(refreshEvery, "refreshEvery");
    requirePositive(maxStale, "maxStale");
    Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
    Objects.requireNonNull(negativeCacheFor, "negativeCacheFor");
    requirePositive(refreshWait, "refreshWait");
    if (maxStale.compareTo(refreshEvery) <= 0) {
      throw new IllegalArgumentException("maxStale must be longer than refreshEvery");
    }
    if (minRefreshInterval.isNegative() || negativeCacheFor.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** A set at most this old is "fresh" for the health check: one failed refresh is tolerated. */
  public Duration freshFor() {
    return refreshEvery.multipliedBy(2);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
