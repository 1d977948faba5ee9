package net.appstore.catalog.core.purchase;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * #KEY_RETENTION}. Runs are serialised.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final int PAGE = 1000;

  /** Idempotency keys are kept at least this long (clients retry within a day, as at Stripe). */
  public static final Duration KEY_RETENTION = Duration.ofHours(24);

  /** What one run did. */
  public record Report(int chargesSeen, List<String> repaired, List<String> findings) {}

  private final PurchaseRecords records;
  private final PaymentGateway gateway;
  private final PurchaseFlow flow;
  private final Clock clock;
  private final Duration staleAfter;

  public Reconciler(
      PurchaseRecords records,
      PaymentGateway gateway,
      PurchaseFlow flow,
      Clock clock,
      Duration staleAfter) {
    this.records = records;
    this.gateway = gateway;
    this.flow = flow;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  public synchronized Report run() throws ChargeOutcomeUnknownException {
    String runId = "reconcile-" + UUID.randomUUID();
    String previous = MDC.get(RequestIdFilter.MDC_KEY);
    MDC.put(RequestIdFilter.MDC_KEY, runId);
    try {
      List<String> repaired = new ArrayList<>();
      List<String> findings = new ArrayList<>();
      int seen = 0;
      String after = null;
      LedgerPage page;
      do {
        page = gateway.ledger(after, PAGE);
        for (LedgerPage.Entry charge : page.charges()) {
          seen++;
          checkCharge(charge, repaired, findings);
          after = charge.id();
        }
      } while (page.hasMore() && !page.charges().isEmpty());
      for (UUID id : records.unfinishedSince(clock.instant().minus(staleAfter))) {
        checkStale(id, repaired, findings);
      }
      int purged = records.purgeIdempotencyKeys(clock.instant().minus(KEY_RETENTION));
      if (purged > 0) {
        LOG.info("reconciler run {}: {} idempotency key(s) older than 24 h purged", runId, purged);
      }
      LOG.info(
          "reconciler run {}: {} charge(s), {} repaired, {} finding(s)",
          runId,
          seen,
          repaired.size(),
          findings.size());
      return new Report(seen, repaired, findings);
    } finally {
      if (previous == null) {
        MDC.remove(RequestIdFilter.MDC_KEY);
      } else {
        MDC.put(RequestIdFilter.MDC_KEY, previous);
      }
    }
  }

  private void checkCharge(LedgerPage.Entry charge, List<String> repaired, List<String> findings) {
    Optional<UUID> id = uuid(charge.idempotencyKey());
    Optional<Purchase> purchase = id.flatMap(records::find);
    if (purchase.isEmpty()) {
      if (charge.moneyMoved()) {
        finding(findings, charge.idempotencyKey(), "charge " + charge.id() + " has no purchase");
      }
      return;
    }
    Purchase p = purchase.get();
    boolean unfinished = "RESERVED".equals(p.status()) || "SIGNED".equals(p.status());
    if (charge.moneyMoved() && unfinished) {
      if (p.receipt() == null) {
        finding(findings, p.id().toString(), "charge " + charge.id() + " but no receipt");
        return;
      }
      records.complete(
          p.id(),
          charge.id(),
          flow.completedAnswer(p.id(), p.appSlug(), p.receipt()),
          clock.instant());
      repaired(repaired, p.id(), "completed (charge " + charge.id() + ")");
    } else if (!charge.moneyMoved() && unfinished) {
      records.voidUncharged(p.id(), clock.instant());
      repaired(repaired, p.id(), "voided (charge " + charge.id() + " " + charge.status() + ")");
    } else if (charge.moneyMoved() && "VOIDED".equals(p.status())) {
      finding(findings, p.id().toString(), "VOIDED but charge " + charge.id() + " moved money");
    } else if ("refunded".equals(charge.status()) && "COMPLETED".equals(p.status())) {
      finding(findings, p.id().toString(), "refunded at the gateway, COMPLETED in the store");
    }
  }

  private void checkStale(UUID id, List<String> repaired, List<String> findings)
      throws ChargeOutcomeUnknownException {
    Optional<Purchase> purchase = records.find(id);
    if (purchase.isEmpty()) {
      return;
    }
    Optional<GatewayCharge> charge = gateway.lookup(id.toString());
    if (charge.isPresent()) {
      return; // handled from the ledger side
    }
    if (purchase.get().amount() == null && purchase.get().receipt() != null) {
      finding(findings, id.toString(), "free purchase left unfinished");
      return;
    }
    if (records.voidUncharged(id, clock.instant())) {
      repaired(repaired, id, "voided (stale, nothing charged)");
    }
  }

  private static void repaired(List<String> repaired, UUID id, String what) {
    LOG.info("reconciler: purchase {} {}", id, what);
    repaired.add(id + ": " + what);
  }

  private static void finding(List<String> findings, String id, String what) {
    LOG.warn("reconciler: purchase {} needs a person: {}", id, what);
    findings.add(id + ": " + what);
  }

  private static Optional<UUID> uuid(String key) {
    try {
      return Optional.of(UUID.fromString(key));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
