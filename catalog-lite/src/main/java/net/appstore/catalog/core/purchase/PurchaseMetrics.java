package net.appstore.catalog.core.purchase;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.appstore.catalog.db.PurchaseRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purchase flow's metrics for alerts (admin {@code /metrics/prometheus}, dots become
 * underscores): {@code purchases.completed}, {@code purchases.refunded}, {@code
 * purchases.taken_over} (counters); timers {@code purchases.request}, {@code purchases.sign} and
 * {@code purchases.charge} (where a purchase's time goes); {@code purchases.signed_stale} (SIGNED
 * longer than the stale window), {@code purchases.journal.pending} (completions not yet replayed);
 * per reconciler run {@code reconciler.repaired.<kind>} (counters), {@code
 * reconciler.unresolved.<kind>} and {@code reconciler.unresolved} (gauges: what the last run left
 * for a person), {@code reconciler.last_success_seconds} (epoch second) and {@code
 * reconciler.failed}. Thread-safe.
 */
public final class PurchaseMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(PurchaseMetrics.class);

  private final MetricRegistry registry;
  private final Counter completed;
  private final Counter refunded;
  private final Counter takenOver;
  private final Counter reconcileFailed;
  private final Timer purchase;
  private final Timer sign;
  private final Timer charge;
  private final Map<Reconciler.Repair, Counter> repaired = new EnumMap<>(Reconciler.Repair.class);
  private final Map<Reconciler.Problem, AtomicInteger> unresolved =
      new EnumMap<>(Reconciler.Problem.class);
  private final AtomicLong lastSuccess = new AtomicLong();

  public PurchaseMetrics(MetricRegistry registry) {
    this.registry = registry;
    this.completed = registry.counter("purchases.completed");
    this.refunded = registry.counter("purchases.refunded");
    this.takenOver = registry.counter("purchases.taken_over");
    this.reconcileFailed = registry.counter("reconciler.failed");
    this.purchase = registry.timer("purchases.request");
    this.sign = registry.timer("purchases.sign");
    this.charge = registry.timer("purchases.charge");
    for (Reconciler.Repair kind : Reconciler.Repair.values()) {
      repaired.put(kind, registry.counter("reconciler.repaired." + kind.metricName()));
    }
    // Every kind exists from the start (as 0), so an alert never waits for a first finding.
    for (Reconciler.Problem kind : Reconciler.Problem.values()) {
      AtomicInteger count = new AtomicInteger();
      unresolved.put(kind, count);
      registry.gauge("reconciler.unresolved." + kind.metricName(), () -> count::get);
    }
    registry.gauge(
        "reconciler.unresolved",
        () -> () -> unresolved.values().stream().mapToInt(AtomicInteger::get).sum());
    registry.gauge("reconciler.last_success_seconds", () -> lastSuccess::get);
  }

  /** Times a whole purchase request (where the rest of its time goes: the store's database). */
  Timer.Context timePurchase() {
    return purchase.time();
  }

  /** Times the signer call of a purchase. */
  Timer.Context timeSign() {
    return sign.time();
  }

  /** Times the gateway charge call (not the lookups after an unknown outcome). */
  Timer.Context timeCharge() {
    return charge.time();
  }

  void completed() {
    completed.inc();
  }

  void refunded() {
    refunded.inc();
  }

  void takenOver() {
    takenOver.inc();
  }

  void reconcileFailed() {
    reconcileFailed.inc();
  }

  void reconciled(Reconciler.Report report) {
    report.repaired().forEach(r -> repaired.get(r.kind()).inc());
    Map<Reconciler.Problem, Integer> found = new EnumMap<>(Reconciler.Problem.class);
    report.unresolved().forEach(u -> found.merge(u.kind(), 1, Integer::sum));
    unresolved.forEach((kind, count) -> count.set(found.getOrDefault(kind, 0)));
    lastSuccess.set(System.currentTimeMillis() / 1000);
  }

  /**
   * The gauges that read state: SIGNED purchases older than {@code staleAfter} (a primary query at
   * most every 30 s; the last value stays while the database does not answer) and the journal's
   * waiting completions.
   */
  public void watch(
      PurchaseRecords records, CompletionJournal journal, Duration staleAfter, Clock clock) {
    AtomicInteger lastStuck = new AtomicInteger();
    registry.gauge(
        "purchases.signed_stale",
        () ->
            new CachedGauge<Integer>(30, TimeUnit.SECONDS) {
              @Override
              protected Integer loadValue() {
                try {
                  lastStuck.set(records.countSignedSince(clock.instant().minus(staleAfter)));
                } catch (RuntimeException e) {
                  LOG.warn("purchases.signed_stale not refreshed: {}", e.toString());
                }
                return lastStuck.get();
              }
            });
    registry.gauge("purchases.journal.pending", () -> (Gauge<Integer>) journal::pending);
  }
}
