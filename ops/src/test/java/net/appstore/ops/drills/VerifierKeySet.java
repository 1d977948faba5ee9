package net.appstore.ops.drills;

import java.time.Duration;

/**
 * The verifier's cached key set, as drills need it. The verifier fetches the set for unknown kids
 * at most once per {@code keys.minRefreshInterval}; within that interval of the last fetch a new
 * kid is answered 503 without a fetch. A drill that tests the fetch itself (JWKS hang) must first
 * let the set age past that interval, since an earlier drill may have just refreshed it: a set
 * older than the interval means no fetch of any kind ran within it.
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
