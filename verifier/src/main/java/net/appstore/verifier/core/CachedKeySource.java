package net.appstore.verifier.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import net.appstore.receipt.keys.KeySource;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifier's {@link KeySource}: the published key set, fetched by a {@link KeySetFetcher} into
 * a one-entry Caffeine cache whose behaviour is exactly this ({@link KeyCachePolicy} names the
 * durations):
 *
 * <ul>
 *   <li><b>Background refresh.</b> A set older than {@code refreshEvery} is refetched
 *       asynchronously on the next access, or by {@link #keepWarm()}, which a scheduler calls;
 *       requests go on using the set at hand meanwhile.
 *   <li><b>Bounded stale.</b> When fetches fail, the last good set keeps serving until {@code
 *       maxStale} after it was fetched. Beyond that a lookup throws {@link
 *       KeySourceUnavailableException} (the service answers 503), never "unknown key".
 *   <li><b>Unknown kid.</b> A kid missing from the set at hand is unknown only if that set was
 *       fetched (the fetch started) after the kid was first seen: then it is answered unknown
 *       without a fetch, and its first sighting is remembered for {@code negativeCacheFor}. A kid
 *       no such set has answered for triggers one fetch, coalesced (concurrent requests wait, at
 *       most {@code refreshWait}, for the fetch in progress and use its set) and rate-limited: at
 *       most one fetch for unknown kids per {@code minRefreshInterval}. When the limit forbids a
 *       fetch, or the fetch fails, the source cannot say: unavailable, never unknown. So a key
 *       activated seconds after the set at hand was fetched (an emergency rotation) is looked for
 *       at its first receipt, or the receipt is answered 503, and is never reported as unknown.
 *   <li><b>Throttled failures.</b> No fetch is attempted within {@code minRefreshInterval} of a
 *       failed one, so a flood of unknown kids during an outage costs the source nothing.
 * </ul>
 *
 * <p>Times come from the injected {@link Ticker}. Thread-safe.
 */
public final class CachedKeySource implements KeySource {

  private static final Logger LOG = LoggerFactory.getLogger(CachedKeySource.class);
  private static final String SET = "jwks";

  /** Bounds the memory of the negative cache: kids are caller-chosen strings. */
  private static final long MAX_UNKNOWN_KID_CHARS = 1 << 20;

  /**
   * A fetched set, when its fetch started (what it can say about kids seen before) and when it
   * ended (its age), in ticker nanoseconds.
   */
  private record Snapshot(PublishedKeySet keys, long requestedAtNanos, long fetchedAtNanos) {

    /** Whether this set was requested after the kid first seen at {@code firstSeenNanos}. */
    boolean answersFor(long firstSeenNanos) {
      return requestedAtNanos - firstSeenNanos >= 0;
    }
  }

  /** The last fetch failed: when, and why (safe to show operators). */
  private record Failure(long atNanos, String message) {}

  private final KeySetFetcher fetcher;
  private final KeyCachePolicy policy;
  private final Ticker ticker;
  private final LoadingCache<String, Snapshot> sets;

  /** Kid not in the set at hand → when it was first seen (ticker nanoseconds). */
  private final Cache<String, Long> unknownKids;

  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile Failure lastFailure;

  /** The most recently fetched set: what a request that waited for a fetch goes on with. */
  private volatile Snapshot latest;

  /** Held while a fetch for an unknown kid runs; the requests waiting on it coalesce. */
  private final ReentrantLock unknownKidFetch = new ReentrantLock();

  /** When the last fetch for an unknown kid started; guarded by {@link #unknownKidFetch}. */
  private long lastUnknownKidFetchNanos;

  private final Counter fetches;
  private final Counter fetchFailures;
  private final Counter fetchesSkipped;
  private final Counter unknownKidRefreshes;
  private final Counter unknownKidsDeferred;

  public CachedKeySource(
      KeySetFetcher fetcher,
      KeyCachePolicy policy,
      Ticker ticker,
      Executor executor,
      MetricRegistry metrics) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.sets =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(executor)
            .refreshAfterWrite(policy.refreshEvery())
            .expireAfterWrite(policy.maxStale())
            .build(key -> fetch());
    this.unknownKids =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(policy.negativeCacheFor())
            .maximumWeight(MAX_UNKNOWN_KID_CHARS)
            .<String, Long>weigher((kid, firstSeen) -> kid.length())
            .build();
    this.lastUnknownKidFetchNanos = ticker.read() - policy.minRefreshInterval().toNanos();
    this.fetches = metrics.counter("verifier.keys.fetches.succeeded");
    this.fetchFailures = metrics.counter("verifier.keys.fetches.failed");
    this.fetchesSkipped = metrics.counter("verifier.keys.fetches.throttled");
    this.unknownKidRefreshes = metrics.counter("verifier.keys.unknown_kid_refreshes");
    this.unknownKidsDeferred = metrics.counter("verifier.keys.unknown_kid_deferred");
    metrics.register(
        "verifier.keys.age_seconds",
        (Gauge<Double>) () -> age().map(a -> a.toMillis() / 1000.0).orElse(-1.0));
    metrics.register(
        "verifier.keys.count",
        (Gauge<Integer>) () -> currentSet().map(s -> s.keys().size()).orElse(0));
  }

  @Override
  public Optional<PublishedKey> find(String kid) throws KeySourceUnavailableException {
    Snapshot current = newest(current());
    Optional<PublishedKey> key = current.keys().find(kid);
    if (key.isPresent()) {
      return key;
    }
    long firstSeen = unknownKids.get(kid, unseen -> ticker.read());
    if (current.answersFor(firstSeen)) {
      return key; // a set fetched since the kid was first seen does not publish it
    }
    key = setAnsweringFor(firstSeen).keys().find(kid);
    if (key.isPresent()) {
      unknownKids.invalidate(kid); // published after all: a later set without it says "retired"
    }
    return key;
  }

  /**
   * Touches the cache: fetches the set if there is none, refreshes it in the background if it is
   * due. For a scheduler, so that the set stays fresh without traffic, and at start.
   */
  public void keepWarm() {
    try {
      sets.get(SET);
    } catch (CompletionException e) {
      // Already counted and logged by fetch(); the next touch tries again.
    }
  }

  /**
   * Fetches the set now, ignoring the throttle (an operator's request, e.g. right after a key was
   * retired in an emergency).
   *
   * @throws KeySourceUnavailableException if the fetch fails
   */
  public PublishedKeySet refreshNow() throws KeySourceUnavailableException {
    lastFailure = null;
    try {
      return fetchAndStore().keys();
    } catch (KeySetFetchException e) {
      throw new KeySourceUnavailableException("the key set could not be refreshed", e);
    }
  }

  /** How old the set in use is; empty if there is none. Triggers no fetch. */
  public Optional<Duration> age() {
    return snapshotQuietly()
        .map(s -> Duration.ofNanos(Math.max(0, ticker.read() - s.fetchedAtNanos())));
  }

  /** The set in use, if any. Triggers no fetch. */
  public Optional<PublishedKeySet> currentSet() {
    return snapshotQuietly().map(Snapshot::keys);
  }

  /** Why the last fetch failed, if it did. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure).map(Failure::message);
  }

  public KeyCachePolicy policy() {
    return policy;
  }

  private Optional<Snapshot> snapshotQuietly() {
    return Optional.ofNullable(sets.policy().getIfPresentQuietly(SET));
  }

  private Snapshot current() throws KeySourceUnavailableException {
    try {
      return sets.get(SET);
    } catch (CompletionException e) {
      throw new KeySourceUnavailableException(
          "no key set fetched within the last " + policy.maxStale(), e.getCause());
    }
  }

  private Snapshot newest(Snapshot cached) {
    Snapshot fetched = latest;
    return fetched != null && fetched.fetchedAtNanos() > cached.fetchedAtNanos() ? fetched : cached;
  }

  /**
   * A set fetched after {@code firstSeen}: one a concurrent request's fetch brought, else a fetch
   * of its own if the rate limit allows one.
   */
  private Snapshot setAnsweringFor(long firstSeen) throws KeySourceUnavailableException {
    try {
      if (!unknownKidFetch.tryLock(policy.refreshWait().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new KeySourceUnavailableException(
            "no key set fetched within " + policy.refreshWait() + " to look for a kid", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeySourceUnavailableException("interrupted while waiting for the key set", e);
    }
    try {
      Snapshot current = newest(current());
      if (current.answersFor(firstSeen)) {
        return current; // fetched by the request this one waited for
      }
      long now = ticker.read();
      if (now - lastUnknownKidFetchNanos < policy.minRefreshInterval().toNanos()) {
        unknownKidsDeferred.inc();
        throw new KeySourceUnavailableException(
            "the kid is not in the key set at hand, which is refetched for unknown kids at most"
                + " once per "
                + policy.minRefreshInterval()
                + ": whether it is published cannot be said yet",
            null);
      }
      lastUnknownKidFetchNanos = now;
      unknownKidRefreshes.inc();
      return fetchAndStore();
    } catch (KeySetFetchException e) {
      throw new KeySourceUnavailableException(
          "the key set could not be refreshed to look for an unknown kid", e);
    } finally {
      unknownKidFetch.unlock();
    }
  }

  private Snapshot fetchAndStore() throws KeySetFetchException {
    Snapshot fetched = fetch();
    sets.put(SET, fetched);
    return fetched;
  }

  private Snapshot fetch() throws KeySetFetchException {
    Failure failure = lastFailure;
    long now = ticker.read();
    if (failure != null && now - failure.atNanos() < policy.minRefreshInterval().toNanos()) {
      fetchesSkipped.inc();
      throw new KeySetFetchException("not retried yet after: " + failure.message());
    }
    try {
      PublishedKeySet keys = fetcher.fetch();
      fetches.inc();
      lastFailure = null;
      if (failing.getAndSet(false)) {
        LOG.info("key set fetched again: {}", keys);
      }
      Snapshot fetched = new Snapshot(keys, now, ticker.read());
      latest = fetched;
      return fetched;
    } catch (KeySetFetchException | RuntimeException e) {
      fetchFailures.inc();
      lastFailure = new Failure(ticker.read(), String.valueOf(e.getMessage()));
      if (!failing.getAndSet(true)) {
        LOG.warn(
            "key set fetch failed; the last good set serves until {} after its fetch: {}",
            policy.maxStale(),
            e.getMessage());
      }
      throw e instanceof KeySetFetchException fetchFailure
          ? fetchFailure
          : new KeySetFetchException("key set fetch failed unexpectedly", e);
    }
  }
}
