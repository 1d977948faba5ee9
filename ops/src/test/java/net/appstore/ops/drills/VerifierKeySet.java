package net.appstore.ops.drills;

import java.time.Duration;

/**
 * The verifier's cached key set, as drills need it. An unknown kid makes the verifier fetch the key
 * set only if the set at hand is older than {@code keys.minRefreshInterval}; with a younger set it
 * answers for the kid itself ({@code invalid UNKNOWN_KEY}, remembered for {@code
 * keys.negativeCacheFor}). A drill that brings a new kid (rotation) or tests the fetch (JWKS hang)
 * must first let the set age past that interval, since an earlier drill may have just refreshed it.
 */
final class VerifierKeySet {

  /** The verifier's keys.minRefreshInterval (verifier/config/verifier.yml). */
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  /** Long enough for a set refreshed just before to age past it, with room for a loaded box. */
  private static final Duration WAIT = MIN_REFRESH_INTERVAL.plusSeconds(30);

  private VerifierKeySet() {}

  /** Waits until the set is older than the interval; returns how long that took. */
  static Duration awaitOlderThanMinRefreshInterval(DrillStack stack) throws Exception {
    return Await.until(
        WAIT,
        () ->
            AdminMetrics.read(stack, "VERIFIER_ADMIN_URL", "verifier_keys_age_seconds")
                > MIN_REFRESH_INTERVAL.toSeconds() + 1,
        "the verifier's key set older than its minRefreshInterval");
  }
}
