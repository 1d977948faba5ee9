package net.appstore.catalog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import net.appstore.service.ServiceUnavailableException;
import org.junit.jupiter.api.Test;

/**
 * The cache's exact staleness and coalescing rules, with time moved by hand (Caffeine's {@link
 * Ticker}) and refreshes run on the calling thread. The loader stands in for the database.
 */
class PageCacheTest {

  private static final Duration FRESH = Duration.ofSeconds(60);
  private static final Duration STALE = Duration.ofMinutes(10);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicBoolean databaseDown = new AtomicBoolean();
  private final MetricRegistry metrics = new MetricRegistry();

  private PageCache<String, String> cache(Function<String, Optional<String>> loader) {
    return cache(loader, Runnable::run);
  }

  private PageCache<String, String> cache(
      Function<String, Optional<String>> loader, java.util.concurrent.Executor refreshes) {
    return new PageCache<>(
        "test",
        new CacheSettings(100, FRESH, STALE, Duration.ofSeconds(5)),
        loader,
        v -> v.startsWith("partial"),
        v -> v,
        new ObjectMapper(),
        ticker,
        refreshes,
        metrics);
  }

  private Optional<String> database(String key) {
    loads.incrementAndGet();
    if (databaseDown.get()) {
      throw new ServiceUnavailableException("DATABASE_UNAVAILABLE", "down", Duration.ofSeconds(5));
    }
    return key.startsWith("missing") ? Optional.empty() : Optional.of(key + "@" + loads.get());
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void get_secondRead_servedFromCacheWithSameEtag() {
    PageCache<String, String> cache = cache(this::database);

    CachedPage<String> first = cache.get("a");
    CachedPage<String> second = cache.get("a");

    assertThat(loads).hasValue(1);
    assertThat(second.etag()).isEqualTo(first.etag());
    assertThat(new String(second.json())).isEqualTo("\"a@1\"");
  }

  @Test
  void get_olderThanFreshFor_servesOldValueWhileRefreshRunsInBackground() {
    java.util.Deque<Runnable> background = new java.util.ArrayDeque<>();
    PageCache<String, String> cache = cache(this::database, background::add);
    cache.get("a");
    advance(FRESH.plusSeconds(1));

    CachedPage<String> stale = cache.get("a");
    CachedPage<String> stillStale = cache.get("a");
    while (!background.isEmpty()) {
      background.poll().run();
    }
    CachedPage<String> refreshed = cache.get("a");

    assertThat(stale.view()).contains("a@1");
    assertThat(stillStale.view()).contains("a@1");
    assertThat(refreshed.view()).contains("a@2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void getIfPresent_absent_emptyWithoutLoading() {
    PageCache<String, String> cache = cache(this::database);

    assertThat(cache.getIfPresent("a")).isEmpty();
    assertThat(loads).hasValue(0);
  }

  /** CachedReadFilter serves hits through getIfPresent: they must age and refresh as get's do. */
  @Test
  void getIfPresent_olderThanFreshFor_servesOldValueAndRefreshesAsGetDoes() {
    java.util.Deque<Runnable> background = new java.util.ArrayDeque<>();
    PageCache<String, String> cache = cache(this::database, background::add);
    cache.get("a");
    advance(FRESH.plusSeconds(1));

    CachedPage<String> stale = cache.getIfPresent("a").orElseThrow();
    while (!background.isEmpty()) {
      background.poll().run();
    }
    CachedPage<String> refreshed = cache.getIfPresent("a").orElseThrow();

    assertThat(stale.view()).contains("a@1");
    assertThat(refreshed.view()).contains("a@2");
    assertThat(metrics.meter("cache.test.stale_served").getCount()).isEqualTo(1);
  }

  @Test
  void getIfPresent_beyondStaleBound_emptyNotTheExpiredValue() {
    PageCache<String, String> cache = cache(this::database);
    cache.get("a");
    databaseDown.set(true);
    advance(FRESH.plusSeconds(1));
    cache.getIfPresent("a"); // failed refresh
    advance(STALE);

    assertThat(cache.getIfPresent("a")).isEmpty();
  }

  @Test
  void F4_get_databaseDownWithinStaleBound_servesLastGoodValue() {
    PageCache<String, String> cache = cache(this::database);
    cache.get("a");
    databaseDown.set(true);
    advance(FRESH.plus(STALE).minusSeconds(1));

    assertThat(cache.get("a").view()).contains("a@1");
    assertThat(cache.get("a").view()).contains("a@1");
    assertThat(metrics.counter("cache.test.refresh_failures").getCount()).isEqualTo(1);
  }

  @Test
  void F4_get_databaseDownBeyondStaleBound_unavailableNot500() {
    PageCache<String, String> cache = cache(this::database);
    cache.get("a");
    databaseDown.set(true);
    advance(FRESH.plusSeconds(1));
    cache.get("a"); // failed refresh: must not make the value younger
    advance(STALE);

    assertThatThrownBy(() -> cache.get("a")).isInstanceOf(ServiceUnavailableException.class);
  }

  @Test
  void get_failedRefresh_nextAttemptOnlyAfterAnotherFreshFor() {
    PageCache<String, String> cache = cache(this::database);
    cache.get("a");
    databaseDown.set(true);
    advance(FRESH.plusSeconds(1));
    cache.get("a");
    int afterFirstFailure = loads.get();

    cache.get("a");
    cache.get("a");
    assertThat(loads.get()).isEqualTo(afterFirstFailure);

    advance(FRESH.plusSeconds(1));
    cache.get("a");
    assertThat(loads.get()).isEqualTo(afterFirstFailure + 1);
  }

  @Test
  void get_databaseBackAfterOutage_freshValueAgain() {
    PageCache<String, String> cache = cache(this::database);
    cache.get("a");
    databaseDown.set(true);
    advance(FRESH.plusSeconds(1));
    cache.get("a");
    databaseDown.set(false);
    advance(FRESH.plusSeconds(1));

    cache.get("a");

    assertThat(cache.get("a").view()).contains("a@3");
  }

  @Test
  void get_missingThing_notFoundIsCachedToo() {
    PageCache<String, String> cache = cache(this::database);

    assertThat(cache.get("missing-1").found()).isFalse();
    assertThat(cache.get("missing-1").found()).isFalse();
    assertThat(loads).hasValue(1);
  }

  @Test
  void F5_get_partialPage_reloadedAfterPartialRetryNotFreshFor() {
    AtomicInteger calls = new AtomicInteger();
    PageCache<String, String> cache =
        cache(k -> Optional.of(calls.incrementAndGet() == 1 ? "partial page" : "full page"));
    assertThat(cache.get("a").partial()).isTrue();

    advance(Duration.ofSeconds(6));
    cache.get("a");

    assertThat(cache.get("a").view()).contains("full page");
    assertThat(cache.get("a").partial()).isFalse();
  }

  @Test
  void F2_get_concurrentReadersOfColdKey_oneLoad() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PageCache<String, String> cache =
        cache(
            k -> {
              loads.incrementAndGet();
              loading.countDown();
              await(release);
              return Optional.of("v");
            });
    ExecutorService readers = Executors.newFixedThreadPool(32);
    try {
      List<Future<CachedPage<String>>> results =
          java.util.stream.IntStream.range(0, 32)
              .mapToObj(i -> readers.submit(() -> cache.get("cold")))
              .toList();
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      for (Future<CachedPage<String>> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS).view()).contains("v");
      }
    } finally {
      readers.shutdownNow();
    }

    assertThat(loads).hasValue(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
