package net.appstore.catalog.core.purchase;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.db.PurchaseRecords;
import net.appstore.catalog.db.PurchaseRecords.Purchase;
import net.appstore.service.RequestIdFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Compares the gateway's ledger with the store's purchases in both directions. Repairs what is
 * certain: a charge that moved money for a SIGNED purchase completes it; a declined charge voids
 * it; a RESERVED or SIGNED purchase untouched for {@code staleAfter} (longer than any attempt can
 * be in flight) with no charge at the gateway is voided. Reports the rest (money moved for a VOIDED
 * or unknown purchase, a refund the store does not know). Every action is logged with the purchase
 * id and the run's request id. Each run also purges answered idempotency keys older than {@link
 * #KEY_RETENTION}. A dry run compares and reports what it would repair, and changes nothing. The
 * scheduled job, the admin task and the {@code reconcile} command all run this class. Runs are
 * serialised.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final int PAGE = 1000;

  /** Idempotency keys are kept at least this long (clients retry within a day, as at Stripe). */
  public static final Duration KEY_RETENTION = Duration.ofHours(24);

  /** What the reconciler repairs by itself. */
  public enum Repair {
    /** The gateway charged an unfinished purchase that has its receipt. */
    COMPLETED_CHARGED,
    /** The gateway declined the charge of an unfinished purchase. */
    VOIDED_DECLINED,
    /** Unfinished for longer than the stale window, and the gateway has no charge for it. */
    VOIDED_STALE;

    public String metricName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What needs a person (runbook ops/runbooks/payments.md). */
  public enum Problem {
    /** Money moved under a key that names no purchase of this store. */
    CHARGE_WITHOUT_PURCHASE,
    /** Money moved for an unfinished purchase that has no receipt (sign-then-charge broken). */
    CHARGE_WITHOUT_RECEIPT,
    /** Money moved for a VOIDED purchase. */
    VOIDED_BUT_CHARGED,
    /** Refunded at the gateway, COMPLETED in the store. */
    REFUND_UNKNOWN_TO_STORE,
    /** A free purchase with a receipt left unfinished. */
    FREE_LEFT_UNFINISHED;

    public String metricName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One repair made (or, in a dry run, that would be made). */
  public record Repaired(String purchaseId, String chargeId, Repair kind) {
    @Override
    public String toString() {
      return purchaseId + " " + kind + (chargeId == null ? "" : " (charge " + chargeId + ")");
    }
  }

  /** One discrepancy left for a person. */
  public record Unresolved(String purchaseId, String chargeId, Problem kind) {
    @Override
    public String toString() {
      return purchaseId + " " + kind + (chargeId == null ? "" : " (charge " + chargeId + ")");
    }
  }

  /**
   * What one run compared and did.
   *
   * @param chargesSeen gateway charges compared with purchases
   * @param staleChecked unfinished purchases older than the stale window compared with the gateway
   */
  public record Report(
      String runId,
      boolean dryRun,
      int chargesSeen,
      int staleChecked,
      List<Repaired> repaired,
      List<Unresolved> unresolved) {}

  private final PurchaseRecords records;
  private final PaymentGateway gateway;
  private final PurchaseBodies bodies;
  private final PurchaseMetrics metrics;
  private final Clock clock;
  private final Duration staleAfter;

  public Reconciler(
      PurchaseRecords records,
      PaymentGateway gateway,
      PurchaseBodies bodies,
      PurchaseMetrics metrics,
      Clock clock,
      Duration staleAfter) {
    this.records = records;
    this.gateway = gateway;
    this.bodies = bodies;
    this.metrics = metrics;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  public Duration staleAfter() {
    return staleAfter;
  }

  public Report run() throws ChargeOutcomeUnknownException {
    return run(false);
  }

  /**
   * @param dryRun compare and report only: nothing is written, no key purged
   */
  public synchronized Report run(boolean dryRun) throws ChargeOutcomeUnknownException {
    String runId = "reconcile-" + UUID.randomUUID();
    String previous = MDC.get(RequestIdFilter.MDC_KEY);
    MDC.put(RequestIdFilter.MDC_KEY, runId);
    try {
      Run run = new Run(dryRun);
      String after = null;
      LedgerPage page;
      do {
        page = gateway.ledger(after, PAGE);
        Map<UUID, Purchase> purchases =
            records.findAll(
                page.charges().stream()
                    .flatMap(charge -> uuid(charge.idempotencyKey()).stream())
                    .toList());
        for (LedgerPage.Entry charge : page.charges()) {
          run.chargesSeen++;
          run.checkCharge(charge, uuid(charge.idempotencyKey()).map(purchases::get));
          after = charge.id();
        }
      } while (page.hasMore() && !page.charges().isEmpty());
      for (UUID id : records.unfinishedSince(clock.instant().minus(staleAfter))) {
        run.staleChecked++;
        run.checkStale(id);
      }
      if (!dryRun) {
        int purged = records.purgeIdempotencyKeys(clock.instant().minus(KEY_RETENTION));
        if (purged > 0) {
          LOG.info(
              "reconciler run {}: {} idempotency key(s) older than 24 h purged", runId, purged);
        }
      }
      Report report =
          new Report(
              runId,
              dryRun,
              run.chargesSeen,
              run.staleChecked,
              List.copyOf(run.repaired),
              List.copyOf(run.unresolved));
      LOG.info(
          "reconciler run {}{}: {} charge(s) and {} stale purchase(s) compared, {} repaired, {}"
              + " unresolved",
          runId,
          dryRun ? " (dry run)" : "",
          report.chargesSeen(),
          report.staleChecked(),
          report.repaired().size(),
          report.unresolved().size());
      if (!dryRun) {
        metrics.reconciled(report);
      }
      return report;
    } catch (RuntimeException | ChargeOutcomeUnknownException e) {
      if (!dryRun) {
        metrics.reconcileFailed();
      }
      throw e;
    } finally {
      if (previous == null) {
        MDC.remove(RequestIdFilter.MDC_KEY);
      } else {
        MDC.put(RequestIdFilter.MDC_KEY, previous);
      }
    }
  }

  /** One run's findings; a dry run only records what it would repair. */
  private final class Run {
    private final boolean dryRun;
    private final List<Repaired> repaired = new ArrayList<>();
    private final List<Unresolved> unresolved = new ArrayList<>();
    private int chargesSeen;
    private int staleChecked;

    Run(boolean dryRun) {
      this.dryRun = dryRun;
    }

    /**
     * @param purchase the purchase under the charge's idempotency key, if there is one
     */
    void checkCharge(LedgerPage.Entry charge, Optional<Purchase> purchase) {
      if (purchase.isEmpty()) {
        if (charge.moneyMoved()) {
          unresolved(charge.idempotencyKey(), charge.id(), Problem.CHARGE_WITHOUT_PURCHASE);
        }
        return;
      }
      Purchase p = purchase.get();
      boolean unfinished = "RESERVED".equals(p.status()) || "SIGNED".equals(p.status());
      if (charge.moneyMoved() && unfinished) {
        if (p.receipt() == null) {
          unresolved(p.id().toString(), charge.id(), Problem.CHARGE_WITHOUT_RECEIPT);
          return;
        }
        if (!dryRun) {
          records.complete(
              p.id(), charge.id(), bodies.completed(p.id(), p.appSlug(), p.receipt()), now());
          metrics.completed();
        }
        repaired(p.id(), charge.id(), Repair.COMPLETED_CHARGED);
      } else if (!charge.moneyMoved() && unfinished) {
        if (!dryRun) {
          records.voidUncharged(p.id(), now());
        }
        repaired(p.id(), charge.id(), Repair.VOIDED_DECLINED);
      } else if (charge.moneyMoved() && "VOIDED".equals(p.status())) {
        unresolved(p.id().toString(), charge.id(), Problem.VOIDED_BUT_CHARGED);
      } else if ("refunded".equals(charge.status()) && "COMPLETED".equals(p.status())) {
        unresolved(p.id().toString(), charge.id(), Problem.REFUND_UNKNOWN_TO_STORE);
      }
    }

    void checkStale(UUID id) throws ChargeOutcomeUnknownException {
      Optional<Purchase> purchase = records.find(id);
      if (purchase.isEmpty() || gateway.lookup(id.toString()).isPresent()) {
        return; // a charge is handled from the ledger side
      }
      if (purchase.get().amount() == null && purchase.get().receipt() != null) {
        unresolved(id.toString(), null, Problem.FREE_LEFT_UNFINISHED);
        return;
      }
      if (dryRun || records.voidUncharged(id, now())) {
        repaired(id, null, Repair.VOIDED_STALE);
      }
    }

    private void repaired(UUID id, String chargeId, Repair kind) {
      LOG.info(
          "reconciler: purchase {} {}{}{}",
          id,
          dryRun ? "would be " : "",
          kind,
          chargeId == null ? "" : " (charge " + chargeId + ")");
      repaired.add(new Repaired(id.toString(), chargeId, kind));
    }

    private void unresolved(String id, String chargeId, Problem kind) {
      LOG.warn(
          "reconciler: purchase {} needs a person: {}{}",
          id,
          kind,
          chargeId == null ? "" : " (charge " + chargeId + ")");
      unresolved.add(new Unresolved(id, chargeId, kind));
    }

    private java.time.Instant now() {
      return clock.instant();
    }
  }

  private static Optional<UUID> uuid(String key) {
    try {
      return Optional.of(UUID.fromString(key));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
