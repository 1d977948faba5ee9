package net.appstore.verifier.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.testing.ReceiptFixture;
import net.appstore.service.Bulkhead;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.verifier.api.Verdict;
import net.appstore.verifier.testing.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The purchase status mapping, the lag window, the primary fallback and the jti cache. */
class PurchaseCheckTest {

  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");
  private static final Duration LAG_WINDOW = Duration.ofSeconds(60);
  private static final Duration REPLICA_RETRY = Duration.ofSeconds(2);
  private static final Duration CACHE_FOR = Duration.ofSeconds(10);

  private final FakeTicker ticker = new FakeTicker();
  private final Records replica = new Records("replica");
  private final Records primary = new Records("primary");
  private final MetricRegistry metrics = new MetricRegistry();
  private Bulkhead bulkhead =
      new Bulkhead("primary-fallback", 2, Duration.ofMillis(20), Duration.ofSeconds(5), metrics);
  private ExecutorService pool;

  @AfterEach
  void shutDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private PurchaseCheck check() {
    return new PurchaseCheck(
        replica,
        primary,
        bulkhead,
        new PurchasePolicy(LAG_WINDOW, REPLICA_RETRY, CACHE_FOR, 1000, Duration.ofSeconds(5)),
        Clock.fixed(NOW, ZoneOffset.UTC),
        ticker,
        metrics);
  }

  private static Receipt receipt(String jti, Duration age) {
    return ReceiptFixture.at(NOW).jti(jti).iat(NOW.minus(age)).build();
  }

  private static Receipt old(String jti) {
    return receipt(jti, Duration.ofHours(1));
  }

  @Test
  void check_eachPurchaseStatus_mapsToItsVerdict() {
    Map<PurchaseStatus, String> expected =
        Map.of(
            PurchaseStatus.COMPLETED, "OK/null",
            PurchaseStatus.REFUNDED, "REFUNDED/null",
            PurchaseStatus.VOIDED, "INVALID/VOIDED",
            PurchaseStatus.SIGNED, "PENDING/PURCHASE_INCOMPLETE",
            PurchaseStatus.RESERVED, "PENDING/PURCHASE_INCOMPLETE");
    PurchaseCheck check = check();
    expected.forEach(
        (status, verdict) -> {
          replica.put("jti-" + status, status);
          Verdict v = check.check(old("jti-" + status));
          assertThat(v.status() + "/" + v.reason()).as("%s", status).isEqualTo(verdict);
        });
    assertThat(primary.calls()).isZero();
  }

  @Test
  void check_unknownAndYoungerThanTheLagWindow_pendingWithoutReadingThePrimary() {
    Verdict verdict = check().check(receipt("new", LAG_WINDOW.minusSeconds(1)));
    assertThat(verdict.status() + "/" + verdict.reason()).isEqualTo("PENDING/NOT_YET_REPLICATED");
    assertThat(primary.calls()).isZero();
  }

  @Test
  void check_unknownOnReplicaButOld_boundedPrimaryReadDecides() {
    primary.put("late", PurchaseStatus.COMPLETED);
    PurchaseCheck check = check();
    assertThat(check.check(receipt("late", LAG_WINDOW))).isEqualTo(Verdict.ok());
    assertThat(check.check(old("nowhere")).reason()).isEqualTo("NO_PURCHASE");
    assertThat(metrics.counter("verifier.purchases.primary_reads.not_replicated").getCount())
        .isEqualTo(2);
  }

  @Test
  void check_replicaDown_primaryAnswersAndTheReplicaIsSkippedForAWhile() {
    replica.failing = true;
    primary.put("a", PurchaseStatus.COMPLETED);
    primary.put("b", PurchaseStatus.REFUNDED);
    PurchaseCheck check = check();
    assertThat(check.check(old("a"))).isEqualTo(Verdict.ok());
    assertThat(check.check(old("b"))).isEqualTo(Verdict.refunded());
    assertThat(replica.calls()).as("skipped after its failure").isEqualTo(1);
    ticker.advance(REPLICA_RETRY);
    replica.failing = false;
    replica.put("c", PurchaseStatus.COMPLETED);
    assertThat(check.check(old("c"))).isEqualTo(Verdict.ok());
    assertThat(replica.calls()).isEqualTo(2);
    assertThat(metrics.counter("verifier.purchases.primary_reads.replica_down").getCount())
        .isEqualTo(2);
  }

  @Test
  void check_replicaDownAndPurchaseUnknownButYoung_pending() {
    replica.failing = true;
    assertThat(check().check(receipt("new", Duration.ofSeconds(1))).status().name())
        .isEqualTo("PENDING");
  }

  @Test
  void check_replicaAndPrimaryDown_serviceUnavailableNeverAVerdict() {
    replica.failing = true;
    primary.failing = true;
    PurchaseCheck check = check();
    for (Receipt receipt : new Receipt[] {old("x"), receipt("y", Duration.ofSeconds(1))}) {
      assertThatThrownBy(() -> check.check(receipt))
          .isInstanceOfSatisfying(
              ServiceUnavailableException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(PurchaseCheck.UNAVAILABLE);
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
              });
    }
  }

  @Test
  void check_oldUnknownOnReplicaWithPrimaryDown_serviceUnavailableNotInvalid() {
    primary.failing = true;
    assertThatThrownBy(() -> check().check(old("gone")))
        .isInstanceOf(ServiceUnavailableException.class);
  }

  @Test
  void check_primaryBulkheadFull_serviceUnavailableWithRetryAfter() throws Exception {
    bulkhead =
        new Bulkhead("primary-fallback", 1, Duration.ofMillis(20), Duration.ofSeconds(7), metrics);
    replica.failing = true;
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    primary.block(inside, release);
    PurchaseCheck check = check();
    pool = Executors.newSingleThreadExecutor();
    var holder = pool.submit(() -> check.check(old("slow")));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> check.check(old("other")))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("PRIMARY_FALLBACK_BUSY");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
    release.countDown();
    assertThat(holder.get(10, TimeUnit.SECONDS).reason()).isEqualTo("NO_PURCHASE");
  }

  @Test
  void check_finalAnswer_cachedByJtiForResultCacheFor() {
    replica.put("r", PurchaseStatus.COMPLETED);
    PurchaseCheck check = check();
    assertThat(check.check(old("r"))).isEqualTo(Verdict.ok());
    replica.put("r", PurchaseStatus.REFUNDED);
    ticker.advance(CACHE_FOR.minusSeconds(1));
    assertThat(check.check(old("r"))).isEqualTo(Verdict.ok());
    assertThat(replica.calls()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(check.check(old("r"))).isEqualTo(Verdict.refunded());
  }

  @Test
  void check_pendingAnswer_neverCached() {
    replica.put("p", PurchaseStatus.SIGNED);
    PurchaseCheck check = check();
    assertThat(check.check(old("p")).status().name()).isEqualTo("PENDING");
    replica.put("p", PurchaseStatus.COMPLETED);
    assertThat(check.check(old("p"))).isEqualTo(Verdict.ok());
  }

  /** Purchases of one fake server: a map, failing or blocking on demand. */
  private static final class Records implements PurchaseRecords {
    private final String name;
    private final Map<String, PurchaseStatus> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    volatile boolean failing;
    private volatile CountDownLatch inside;
    private volatile CountDownLatch release;

    Records(String name) {
      this.name = name;
    }

    void put(String jti, PurchaseStatus status) {
      statuses.put(jti, status);
    }

    void block(CountDownLatch inside, CountDownLatch release) {
      this.inside = inside;
      this.release = release;
    }

    int calls() {
      return calls.get();
    }

    @Override
    public Optional<PurchaseStatus> statusOf(String jti) throws PurchaseLookupException {
      calls.incrementAndGet();
      CountDownLatch entered = inside;
      if (entered != null) {
        inside = null;
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failing) {
        throw new PurchaseLookupException(name + " down (test)", null);
      }
      return Optional.ofNullable(statuses.get(jti));
    }
  }
}
