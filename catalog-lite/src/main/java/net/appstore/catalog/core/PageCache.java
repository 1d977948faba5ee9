package net.appstore.catalog.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An object cache of rendered JSON answers in front of the database, with the exact behaviour
 * FAILURE-MODES.md F2 and F4 ask for:
 *
 * <ul>
 *   <li><b>Coalesced loads</b>: concurrent reads of a missing key wait for one load (Caffeine
 *       computes each key once), so a cold cache under load costs one query per key, not one per
 *       request.
 *   <li><b>Background refresh</b>: a value older than {@code freshFor} is reloaded on the refresh
 *       executor while readers keep getting the value at hand.
 *   <li><b>Bounded staleness</b>: when a reload fails the old value stays, and is retried no sooner
 *       than {@code freshFor} later, until it is {@code freshFor + staleFor} old; then it expires
 *       and a read needs the database again (503 if it is still down). The age counts from the last
 *       successful load, never from a failed reload.
 *   <li><b>Rendered once</b>: each value is serialized to JSON and given a strong ETag when it is
 *       loaded, so a hit costs no serialization.
 * </ul>
 *
 * <p>The loader must throw unchecked exceptions only; {@link net.appstore.service.
 * ServiceUnavailableException} (database down, bulkhead full) reaches the caller of {@link #get}
 * when there is no value to serve. Thread-safe.
 *
 * @param <K> key
 * @param <V> view
 */
public final class PageCache<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(PageCache.class);

  private final String name;
  private final CacheSettings settings;
  private final Function<K, Optional<V>> loader;
  private final Function<V, Boolean> isPartial;
  private final Function<V, ?> wire;
  private final ObjectMapper json;
  private final Ticker ticker;
  private final LoadingCache<K, CachedPage<V>> cache;
  private final Meter loads;
  private final Counter refreshFailures;
  private final Meter staleServed;

  /**
   * @param name for metrics ({@code cache.NAME.loads} ...) and logs
   * @param loader reads the view from the database; empty: it does not exist
   * @param isPartial whether a loaded view lacks optional parts
   * @param wire what of a view is rendered as JSON (views may carry internal fields, e.g. ids)
   */
  public PageCache(
      String name,
      CacheSettings settings,
      Function<K, Optional<V>> loader,
      Function<V, Boolean> isPartial,
      Function<V, ?> wire,
      ObjectMapper json,
      Ticker ticker,
      Executor refreshExecutor,
      MetricRegistry metrics) {
    this.name = name;
    this.settings = settings;
    this.loader = loader;
    this.isPartial = isPartial;
    this.wire = wire;
    this.json = json;
    this.ticker = ticker;
    this.loads = metrics.meter(MetricRegistry.name("cache", name, "loads"));
    this.refreshFailures = metrics.counter(MetricRegistry.name("cache", name, "refresh_failures"));
    this.staleServed = metrics.meter(MetricRegistry.name("cache", name, "stale_served"));
    long maxAgeNanos = settings.maximumAge().toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(settings.maximumSize())
            .refreshAfterWrite(settings.freshFor())
            .expireAfter(
                new Expiry<K, CachedPage<V>>() {
                  @Override
                  public long expireAfterCreate(K key, CachedPage<V> page, long now) {
                    return remaining(page, now);
                  }

                  @Override
                  public long expireAfterUpdate(
                      K key, CachedPage<V> page, long now, long currentDuration) {
                    return remaining(page, now);
                  }

                  @Override
                  public long expireAfterRead(
                      K key, CachedPage<V> page, long now, long currentDuration) {
                    return currentDuration;
                  }

                  private long remaining(CachedPage<V> page, long now) {
                    return Math.max(0, page.loadedAtNanos() + maxAgeNanos - now);
                  }
                })
            .ticker(ticker)
            .executor(refreshExecutor)
            .recordStats()
            .build(new Loader());
    metrics.gauge(MetricRegistry.name("cache", name, "size"), () -> cache::estimatedSize);
    metrics.gauge(
        MetricRegistry.name("cache", name, "hit_ratio"), () -> () -> cache.stats().hitRate());
  }

  /**
   * The cached page for {@code key}, loading it if absent (one load however many readers wait).
   *
   * @throws net.appstore.service.ServiceUnavailableException if there is no value and the database
   *     cannot give one now
   */
  public CachedPage<V> get(K key) {
    CachedPage<V> page;
    try {
      page = cache.get(key);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    afterRead(key, page);
    return page;
  }

  /**
   * The cached page for {@code key} if there is one now, never loading (a reader that must not wait
   * for the database, e.g. {@code CachedReadFilter}). A hit counts, refreshes and ages exactly as
   * one through {@link #get}; a miss is counted as a miss, and again by the {@link #get} that
   * usually follows.
   */
  public Optional<CachedPage<V>> getIfPresent(K key) {
    CachedPage<V> page = cache.getIfPresent(key);
    if (page == null) {
      return Optional.empty();
    }
    afterRead(key, page);
    return Optional.of(page);
  }

  private void afterRead(K key, CachedPage<V> page) {
    long age = ticker.read() - page.loadedAtNanos();
    if (age > settings.freshFor().toNanos()) {
      staleServed.mark();
    }
    if (page.partial() && age > settings.partialRetryAfter().toNanos()) {
      cache.refresh(key); // in the background; concurrent refreshes of a key are coalesced
    }
  }

  /** Drops {@code key}, so that the next read loads it (after a write by this instance). */
  public void invalidate(K key) {
    cache.invalidate(key);
  }

  /** The name in metrics and logs. */
  public String name() {
    return name;
  }

  /** About how many pages it holds now. */
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  /** Drops everything (an operator clearing the cache; the F2 drill). */
  public void invalidateAll() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  /** How old a page is, in ticker nanoseconds. */
  public long ageNanos(CachedPage<V> page) {
    return ticker.read() - page.loadedAtNanos();
  }

  private CachedPage<V> render(Optional<V> view) {
    try {
      byte[] body = json.writeValueAsBytes(view.isPresent() ? wire.apply(view.get()) : null);
      boolean partial = view.isPresent() && Boolean.TRUE.equals(isPartial.apply(view.get()));
      return new CachedPage<>(view, body, etagOf(body), partial, ticker.read());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a " + name + " page as JSON", e);
    }
  }

  public static String etagOf(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private final class Loader implements CacheLoader<K, CachedPage<V>> {

    @Override
    public CachedPage<V> load(K key) {
      loads.mark();
      return render(loader.apply(key));
    }

    /**
     * A failed reload keeps the old page, with its original load time (so its expiry does not
     * move), as a new instance so that Caffeine counts the write and waits {@code freshFor} before
     * the next attempt: during an outage each key costs one attempt per {@code freshFor}.
     */
    @Override
    public CachedPage<V> reload(K key, CachedPage<V> old) {
      try {
        return load(key);
      } catch (RuntimeException e) {
        refreshFailures.inc();
        LOG.warn(
            "cache {}: reload failed, serving the page loaded {} ms ago: {}",
            name,
            (ticker.read() - old.loadedAtNanos()) / 1_000_000,
            e.toString());
        return new CachedPage<>(
            old.view(), old.json(), old.etag(), old.partial(), old.loadedAtNanos());
      }
    }
  }
}
