package net.appstore.verifier.core;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.receipt.testing.TestVectors;
import net.appstore.verifier.testing.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The key cache's documented behaviour, time moved by hand. */
class CachedKeySourceTest {

  private static final Duration REFRESH_EVERY = Duration.ofMinutes(5);
  private static final Duration MAX_STALE = Duration.ofHours(6);
  private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
  private static final Duration NEGATIVE_FOR = Duration.ofMinutes(5);
  private static final KeyCachePolicy POLICY =
      new KeyCachePolicy(
          REFRESH_EVERY, MAX_STALE, MIN_REFRESH_INTERVAL, NEGATIVE_FOR, Duration.ofSeconds(5));

  private static final String RS = TestVectors.RS256_KID;
  private static final String PS = TestVectors.PS256_KID;

  /** The vectors' set without the PS256 key: PS256 plays a key not published yet. */
  private static final PublishedKeySet WITHOUT_PS =
      new PublishedKeySet(
          VECTORS.keySet().keys().stream().filter(k -> !k.kid().equals(PS)).toList());

  private final FakeTicker ticker = new FakeTicker();
  private final Fetcher fetcher = new Fetcher(WITHOUT_PS);
  private final MetricRegistry metrics = new MetricRegistry();
  private ExecutorService pool;

  @AfterEach
  void shutDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private CachedKeySource direct() {
    return new CachedKeySource(fetcher, POLICY, ticker, Runnable::run, metrics);
  }

  @Test
  void find_knownKid_fetchesOnceThenServesFromTheCache() throws Exception {
    CachedKeySource keys = direct();
    for (int i = 0; i < 10; i++) {
      assertThat(keys.find(RS)).isPresent();
    }
    assertThat(fetcher.calls()).isEqualTo(1);
  }

  @Test
  void find_setOlderThanRefreshEvery_refetchedInBackground() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(REFRESH_EVERY.minusSeconds(1));
    keys.find(RS);
    assertThat(fetcher.calls()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(keys.find(RS)).isPresent();
    assertThat(fetcher.calls()).isEqualTo(2);
    assertThat(keys.age()).contains(Duration.ZERO);
  }

  @Test
  void find_whileBackgroundRefreshIsSlow_servesTheSetAtHand() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    CachedKeySource keys = new CachedKeySource(fetcher, POLICY, ticker, pool, metrics);
    keys.find(RS);
    CountDownLatch release = fetcher.blockNextFetch();
    ticker.advance(REFRESH_EVERY.plusSeconds(1));
    assertThat(keys.find(RS)).isPresent(); // answered from the old set, the refresh still blocked
    release.countDown();
  }

  @Test
  void find_sourceDownWithinMaxStale_lastGoodSetKeepsServing() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.failFromNowOn();
    ticker.advance(MAX_STALE.minusSeconds(1));
    assertThat(keys.find(RS)).isPresent();
    assertThat(fetcher.calls()).isGreaterThan(1);
    assertThat(keys.lastFailure()).isPresent();
  }

  @Test
  void find_sourceDownBeyondMaxStale_unavailableNeverUnknown() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.failFromNowOn();
    ticker.advance(MAX_STALE);
    assertThatThrownBy(() -> keys.find(RS)).isInstanceOf(KeySourceUnavailableException.class);
    assertThat(keys.age()).isEmpty();
  }

  @Test
  void find_sourceDownAtStart_unavailable() {
    fetcher.failFromNowOn();
    CachedKeySource keys = direct();
    assertThatThrownBy(() -> keys.find(RS)).isInstanceOf(KeySourceUnavailableException.class);
  }

  @Test
  void find_unknownKidRightAfterAFetch_looksForItOnceThenRemembersIt() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(Duration.ofSeconds(1));
    // The set is a second old, but it was fetched before this kid was ever seen: look.
    assertThat(keys.find("no-such-kid")).isEmpty();
    assertThat(fetcher.calls()).isEqualTo(2);
    ticker.advance(MIN_REFRESH_INTERVAL.multipliedBy(3));
    assertThat(keys.find("no-such-kid")).isEmpty(); // the set fetched since says: no fetch
    assertThat(fetcher.calls()).isEqualTo(2);
    assertThat(metrics.counter("verifier.keys.unknown_kid_refreshes").getCount()).isEqualTo(1);
  }

  @Test
  void find_secondNewKidWithinMinRefreshInterval_unavailableNeverUnknown() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(keys.find("first-unknown")).isEmpty();
    ticker.advance(Duration.ofSeconds(1));
    // No set fetched since this kid was first seen, and no fetch allowed yet: cannot say.
    assertThatThrownBy(() -> keys.find("second-unknown"))
        .isInstanceOf(KeySourceUnavailableException.class)
        .hasMessageContaining("cannot be said yet");
    assertThat(fetcher.calls()).isEqualTo(2);
    assertThat(metrics.counter("verifier.keys.unknown_kid_deferred").getCount()).isEqualTo(1);
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThat(keys.find("second-unknown")).isEmpty();
    assertThat(fetcher.calls()).isEqualTo(3);
  }

  @Test
  void find_keyActivatedRightAfterAnUnknownKidFetch_neverAnsweredUnknown() throws Exception {
    // An emergency rotation: the new kid's first receipt arrives seconds after another unknown
    // kid made the verifier fetch. It must be 503 until it can be looked for, then found.
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(keys.find("garbage-kid")).isEmpty();
    fetcher.serve(VECTORS.keySet()); // PS is published (and activated) now
    ticker.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> keys.find(PS)).isInstanceOf(KeySourceUnavailableException.class);
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThat(keys.find(PS)).isPresent();
  }

  @Test
  void find_kidFirstSeenBeforeABackgroundRefresh_answeredByThatRefresh() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(Duration.ofSeconds(1));
    keys.find("first-unknown");
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> keys.find("seen-before-refresh"))
        .isInstanceOf(KeySourceUnavailableException.class);
    ticker.advance(REFRESH_EVERY);
    keys.keepWarm(); // the scheduled touch refetches the set: after the kid was first seen
    int fetches = fetcher.calls();
    assertThat(keys.find("seen-before-refresh")).isEmpty();
    assertThat(fetcher.calls()).isEqualTo(fetches);
  }

  @Test
  void find_unknownKidForgottenAfterNegativeCacheFor_lookedForAgain() throws Exception {
    // Remembered for less than refreshEvery here, so that no regular refresh answers for it.
    Duration negativeFor = Duration.ofMinutes(1);
    CachedKeySource keys =
        new CachedKeySource(
            fetcher,
            new KeyCachePolicy(
                REFRESH_EVERY, MAX_STALE, MIN_REFRESH_INTERVAL, negativeFor, Duration.ofSeconds(5)),
            ticker,
            Runnable::run,
            metrics);
    keys.find(RS);
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThat(keys.find("no-such-kid")).isEmpty();
    assertThat(fetcher.calls()).isEqualTo(2);
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThat(keys.find("no-such-kid")).isEmpty(); // remembered: no fetch
    assertThat(fetcher.calls()).isEqualTo(2);
    ticker.advance(negativeFor);
    assertThat(keys.find("no-such-kid")).isEmpty(); // forgotten: looked for again
    assertThat(fetcher.calls()).isEqualTo(3);
  }

  @Test
  void find_kidFoundAfterBeingSeenMissing_laterSetWithoutItMeansRetired() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.serve(VECTORS.keySet());
    ticker.advance(Duration.ofSeconds(1));
    assertThat(keys.find(PS)).isPresent(); // looked up on its first receipt
    fetcher.serve(WITHOUT_PS); // retired
    ticker.advance(REFRESH_EVERY);
    keys.keepWarm();
    assertThat(keys.find(PS)).isEmpty();
  }

  @Test
  void find_newlyPublishedKid_foundThroughTheUnknownKidRefresh() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.serve(VECTORS.keySet());
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThat(keys.find(PS)).isPresent();
  }

  @Test
  void find_negativelyCachedKidPublishedLater_foundAfterTheRegularRefresh() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThat(keys.find(PS)).isEmpty();
    fetcher.serve(VECTORS.keySet());
    ticker.advance(REFRESH_EVERY);
    keys.keepWarm(); // the scheduled touch refreshes the set
    assertThat(keys.find(PS)).isPresent();
  }

  @Test
  void find_unknownKidWhileSourceDown_unavailableAndThrottled() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.failFromNowOn();
    ticker.advance(MIN_REFRESH_INTERVAL);
    assertThatThrownBy(() -> keys.find(PS)).isInstanceOf(KeySourceUnavailableException.class);
    int attempts = fetcher.calls();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> keys.find("flood-" + Flood.next()))
          .isInstanceOf(KeySourceUnavailableException.class);
    }
    assertThat(fetcher.calls())
        .as("no fetch within minRefreshInterval of a failure")
        .isEqualTo(attempts);
    assertThat(keys.find(RS)).isPresent(); // known keys are unaffected
  }

  @Test
  void find_unknownKidAfterAFailedFetchNewerThanTheSet_unavailable() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.failFromNowOn();
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(keys::refreshNow).isInstanceOf(KeySourceUnavailableException.class);
    ticker.advance(Duration.ofSeconds(1));
    // The set is only 2 s old, but a fetch failed since: the kid may have been published.
    assertThatThrownBy(() -> keys.find(PS)).isInstanceOf(KeySourceUnavailableException.class);
  }

  @RepeatedTest(50)
  void find_concurrentUnknownKids_shareOneCoalescedFetch() throws Exception {
    CachedKeySource keys = pooled();
    keys.find(RS);
    ticker.advance(MIN_REFRESH_INTERVAL);
    List<String> kids = IntStream.range(0, 8).mapToObj(i -> "unknown-" + i).toList();
    for (Optional<PublishedKey> found : findWhileTheNextFetchIsHeld(keys, kids)) {
      assertThat(found).isEmpty();
    }
    assertThat(fetcher.calls()).isEqualTo(2);
  }

  @RepeatedTest(20)
  void find_concurrentRequestsForANewKid_allFindItThroughOneFetch() throws Exception {
    CachedKeySource keys = pooled();
    keys.find(RS);
    ticker.advance(Duration.ofSeconds(1));
    fetcher.serve(VECTORS.keySet());
    for (Optional<PublishedKey> found :
        findWhileTheNextFetchIsHeld(keys, Collections.nCopies(8, PS))) {
      assertThat(found).isPresent();
    }
    assertThat(fetcher.calls()).isEqualTo(2);
  }

  private CachedKeySource pooled() {
    pool = Executors.newFixedThreadPool(9);
    return new CachedKeySource(fetcher, POLICY, ticker, pool, metrics);
  }

  /**
   * Looks every kid up on its own thread while the next fetch is held until one of them has started
   * it, then lets the fetch through; the answers, in order.
   */
  private List<Optional<PublishedKey>> findWhileTheNextFetchIsHeld(
      CachedKeySource keys, List<String> kids) throws Exception {
    CountDownLatch release = fetcher.blockNextFetch();
    List<Future<Optional<PublishedKey>>> lookups = new ArrayList<>();
    for (String kid : kids) {
      lookups.add(pool.submit(() -> keys.find(kid)));
    }
    assertThat(fetcher.awaitBlocked()).isTrue();
    release.countDown();
    List<Optional<PublishedKey>> answers = new ArrayList<>();
    for (Future<Optional<PublishedKey>> lookup : lookups) {
      answers.add(lookup.get(10, TimeUnit.SECONDS));
    }
    return answers;
  }

  @Test
  void refreshNow_afterAFailure_ignoresTheThrottle() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    fetcher.failFromNowOn();
    assertThatThrownBy(keys::refreshNow).isInstanceOf(KeySourceUnavailableException.class);
    fetcher.serve(VECTORS.keySet());
    assertThat(keys.refreshNow().find(PS)).isPresent();
    assertThat(keys.lastFailure()).isEmpty();
  }

  @Test
  void metrics_countFetchesAndReportTheAge() throws Exception {
    CachedKeySource keys = direct();
    keys.find(RS);
    ticker.advance(Duration.ofSeconds(42));
    assertThat(metrics.getGauges().get("verifier.keys.age_seconds").getValue()).isEqualTo(42.0);
    assertThat(metrics.counter("verifier.keys.fetches.succeeded").getCount()).isEqualTo(1);
    assertThat(metrics.getGauges().get("verifier.keys.count").getValue())
        .isEqualTo(WITHOUT_PS.keys().size());
  }

  /** Distinct kids for a flood. */
  private static final class Flood {
    private static final AtomicInteger NEXT = new AtomicInteger();

    static int next() {
      return NEXT.incrementAndGet();
    }
  }

  /** A fake JWKS source: counts calls, serves a set, fails or blocks on demand. */
  private static final class Fetcher implements KeySetFetcher {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<PublishedKeySet> set;
    private volatile boolean failing;
    private volatile CountDownLatch release;
    private final CountDownLatch blocked = new CountDownLatch(1);

    Fetcher(PublishedKeySet initial) {
      set = new AtomicReference<>(initial);
    }

    @Override
    public PublishedKeySet fetch() throws KeySetFetchException {
      calls.incrementAndGet();
      CountDownLatch latch = release;
      if (latch != null) {
        release = null;
        blocked.countDown();
        try {
          latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failing) {
        throw new KeySetFetchException("JWKS source down (test)");
      }
      return set.get();
    }

    int calls() {
      return calls.get();
    }

    void serve(PublishedKeySet keys) {
      set.set(keys);
      failing = false;
    }

    void failFromNowOn() {
      failing = true;
    }

    CountDownLatch blockNextFetch() {
      CountDownLatch latch = new CountDownLatch(1);
      release = latch;
      return latch;
    }

    boolean awaitBlocked() throws InterruptedException {
      return blocked.await(10, TimeUnit.SECONDS);
    }
  }
}
