package net.appstore.catalog.core;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What every {@link PageCache} of the service shares: settings, JSON mapper, ticker, refresh
 * executor, metric registry, and the list of all caches (to clear them at once). Immutable but for
 * that list.
 */
public record CachePlumbing(
    CacheSettings settings,
    ObjectMapper json,
    Ticker ticker,
    Executor refreshExecutor,
    MetricRegistry metrics,
    PageCaches all) {

  /** A cache of views rendered as they are. */
  public <K, V> PageCache<K, V> cache(String name, Function<K, Optional<V>> loader) {
    return cache(name, loader, v -> false, v -> v);
  }

  /** A cache whose views may be partial and are rendered through {@code wire}. */
  public <K, V> PageCache<K, V> cache(
      String name,
      Function<K, Optional<V>> loader,
      Function<V, Boolean> isPartial,
      Function<V, ?> wire) {
    PageCache<K, V> cache =
        new PageCache<>(
            name, settings, loader, isPartial, wire, json, ticker, refreshExecutor, metrics);
    all.add(cache);
    return cache;
  }
}
