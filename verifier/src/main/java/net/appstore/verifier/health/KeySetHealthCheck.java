package net.appstore.verifier.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import net.appstore.verifier.core.CachedKeySource;

/**
 * Healthy while the key set in use is fresh: fetched within {@link
 * net.appstore.verifier.core.KeyCachePolicy#freshFor()}, so one failed refresh does not alarm. A
 * stale set still verifies known keys (up to {@code maxStale}); this check says that the JWKS
 * source needs attention before that bound is reached. Reads the cache state only; the fetch itself
 * is time-bounded by the fetcher's timeouts.
 */
public final class KeySetHealthCheck extends HealthCheck {

  private final CachedKeySource keys;

  public KeySetHealthCheck(CachedKeySource keys) {
    this.keys = keys;
  }

  @Override
  protected Result check() {
    String failure = keys.lastFailure().map(f -> "; last fetch failed: " + f).orElse("");
    var age = keys.age();
    if (age.isEmpty()) {
      return Result.unhealthy("no key set: the JWKS has not been fetched yet" + failure);
    }
    Duration fresh = keys.policy().freshFor();
    int count = keys.currentSet().map(s -> s.keys().size()).orElse(0);
    String state = count + " keys, fetched " + age.get().toSeconds() + " s ago";
    if (age.get().compareTo(fresh) > 0) {
      return Result.unhealthy(
          state
              + ": stale (fresh for "
              + fresh.toSeconds()
              + " s; served up to "
              + keys.policy().maxStale().toSeconds()
              + " s)"
              + failure);
    }
    return Result.healthy(state + failure);
  }
}
