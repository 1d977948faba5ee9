package net.appstore.verifier.core;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the key set fresh without traffic: fetches it at start (a failure is logged; the service
 * starts anyway and answers 503 until a set is fetched) and touches the cache every quarter of
 * {@code refreshEvery}, which refreshes it in the background when due.
 */
public final class KeySetRefresher implements Managed {

  private final CachedKeySource keys;
  private final ScheduledExecutorService scheduler;

  public KeySetRefresher(CachedKeySource keys, ScheduledExecutorService scheduler) {
    this.keys = keys;
    this.scheduler = scheduler;
  }

  @Override
  public void start() {
    keys.keepWarm();
    long every = touchEvery(keys.policy()).toMillis();
    scheduler.scheduleWithFixedDelay(keys::keepWarm, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  /** A quarter of {@code refreshEvery}, at least a second. */
  static Duration touchEvery(KeyCachePolicy policy) {
    return Duration.ofMillis(Math.max(1000, policy.refreshEvery().dividedBy(4).toMillis()));
  }
}
