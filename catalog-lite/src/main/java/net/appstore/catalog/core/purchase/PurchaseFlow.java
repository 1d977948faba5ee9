package net.appstore.catalog.core.purchase;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.core.AppRecord;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.db.PurchaseRecords;
import net.appstore.catalog.db.PurchaseRecords.Abandoned;
import net.appstore.catalog.db.PurchaseRecords.Answered;
import net.appstore.catalog.db.PurchaseRecords.InFlight;
import net.appstore.catalog.db.PurchaseRecords.OtherParameters;
import net.appstore.catalog.db.PurchaseRecords.Purchase;
import net.appstore.catalog.db.PurchaseRecords.Reservation;
import net.appstore.catalog.db.PurchaseRecords.Reserved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign, then charge (DESIGN.md "Purchase flow", FAILURE-MODES F19-F23): reserve under the buyer's
 * idempotency key, have the receipt signed, store it, charge the gateway with the purchase id as
 * its idempotency key, complete. The invariants: nothing is charged for a purchase without a stored
 * receipt; a VOIDED purchase was certainly not charged; a succeeded charge is never forgotten (the
 * completion goes to the database, else to the fsynced {@link CompletionJournal}). Every step is
 * logged with the purchase id (the request id is in the logging context).
 *
 * <p>A key whose request reserved a purchase and never answered (its process died) answers 409 only
 * for {@code takeOverAfter}; after that one retry under the key takes the purchase over and carries
 * it on from the state it is really in: RESERVED is signed and charged, SIGNED is charged (the
 * gateway answers the purchase id's first charge again, so never twice), COMPLETED or REFUNDED
 * answers what it is, VOIDED answers 503 {@code PURCHASE_INTERRUPTED} (nothing charged).
 * Thread-safe.
 */
public final class PurchaseFlow {

  private static final Logger LOG = LoggerFactory.getLogger(PurchaseFlow.class);
  private static final BigDecimal ZERO = new BigDecimal("0.00");
  private static final String FREE_CURRENCY = "USD";

  private final PurchaseRecords records;
  private final ReceiptSigner signer;
  private final PaymentGateway gateway;
  private final CompletionJournal journal;
  private final DirectedIdentifier directedIds;
  private final PurchaseBodies bodies;
  private final PurchaseMetrics metrics;
  private final Clock clock;
  private final Duration retryAfter;
  private final Duration takeOverAfter;

  /**
   * @param takeOverAfter how long a request may hold its idempotency key without an answer before a
   *     retry under the same key takes the purchase over (longer than one request can run)
   */
  public PurchaseFlow(
      PurchaseRecords records,
      ReceiptSigner signer,
      PaymentGateway gateway,
      CompletionJournal journal,
      DirectedIdentifier directedIds,
      PurchaseBodies bodies,
      PurchaseMetrics metrics,
      Clock clock,
      Duration retryAfter,
      Duration takeOverAfter) {
    this.records = records;
    this.signer = signer;
    this.gateway = gateway;
    this.journal = journal;
    this.directedIds = directedIds;
    this.bodies = bodies;
    this.metrics = metrics;
    this.clock = clock;
    this.retryAfter = retryAfter;
    this.takeOverAfter = takeOverAfter;
  }

  /** What is being bought: the purchase id, its price (null amount: free) and when it was made. */
  private record Priced(UUID id, BigDecimal amount, String currency, Instant madeAt) {
    boolean free() {
      return amount == null;
    }
  }

  /**
   * Buys {@code app} for {@code buyer}.
   *
   * @param requestHash a digest of the request's parameters, compared on every reuse of the key
   */
  public PurchaseAnswer purchase(
      CatalogUser buyer, AppRecord app, String idempotencyKey, String requestHash) {
    try (var timer = metrics.timePurchase()) {
      return purchaseTimed(buyer, app, idempotencyKey, requestHash);
    }
  }

  private PurchaseAnswer purchaseTimed(
      CatalogUser buyer, AppRecord app, String idempotencyKey, String requestHash) {
    // Microseconds: what the database keeps, so a taken-over purchase signs the same claims.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Reservation reservation =
        records.reserve(
            buyer.subject(),
            idempotencyKey,
            requestHash,
            app.slug(),
            app.priceAmount(),
            app.priceAmount() == null ? null : app.priceCurrency(),
            now,
            now.minus(takeOverAfter));
    if (reservation instanceof OtherParameters) {
      return error(422, "IDEMPOTENCY_KEY_REUSED", "this key was used with other parameters", null);
    }
    if (reservation instanceof InFlight) {
      return error(409, "REQUEST_IN_FLIGHT", "a request with this key is still running", null);
    }
    if (reservation instanceof Answered answered) {
      return replay(answered);
    }
    if (reservation instanceof Abandoned abandoned) {
      return takeOver(buyer, app, abandoned.purchaseId());
    }
    UUID id = ((Reserved) reservation).purchaseId();
    LOG.info("purchase {}: reserved app {} for key", id, app.slug());
    return signAndCharge(
        buyer,
        app,
        new Priced(
            id, app.priceAmount(), app.priceAmount() == null ? null : app.priceCurrency(), now));
  }

  /**
   * A request under this key reserved the purchase and never answered (its process died): carry on
   * from the state the purchase is really in. Safe against a double charge because the charge is
   * made under the purchase id, and the gateway answers a repeated key with the first charge.
   */
  private PurchaseAnswer takeOver(CatalogUser buyer, AppRecord app, UUID id) {
    Purchase p = records.find(id).orElseThrow();
    metrics.takenOver();
    LOG.warn(
        "purchase {}: its request left the key unanswered for over {}; taking over in state {}",
        id,
        takeOverAfter,
        p.status());
    Priced priced = new Priced(id, p.amount(), p.currency(), p.createdAt());
    return switch (p.status()) {
      case "RESERVED" -> signAndCharge(buyer, app, priced);
      case "SIGNED" -> chargeAndComplete(priced, p.appSlug(), p.receipt());
      case "COMPLETED" ->
          stored(
              id,
              new PurchaseAnswer(201, bodies.completed(id, p.appSlug(), p.receipt()), null, false));
      case "REFUNDED" ->
          stored(
              id,
              new PurchaseAnswer(200, bodies.purchase(id, "REFUNDED", null, null), null, false));
      default ->
          // VOIDED: certainly not charged (the reconciler voids only what the gateway never
          // charged).
          stored(
              id,
              new PurchaseAnswer(
                  503,
                  bodies.error(
                      "PURCHASE_INTERRUPTED",
                      "the request was interrupted; nothing charged; buy again with a new key",
                      id),
                  retryAfter,
                  false));
    };
  }

  private PurchaseAnswer signAndCharge(CatalogUser buyer, AppRecord app, Priced priced) {
    UUID id = priced.id();
    SignedReceipt receipt;
    try (var timer = metrics.timeSign()) {
      receipt =
          signer.sign(
              new ReceiptOrder(
                  id.toString(),
                  app.originUrl(),
                  "id=" + app.id(),
                  directedIds.of(buyer.subject(), app.originUrl()),
                  priced.madeAt(),
                  priced.free() ? ZERO : priced.amount(),
                  priced.free() ? FREE_CURRENCY : priced.currency()));
    } catch (ReceiptSigningException e) {
      LOG.warn("purchase {}: signing failed, voiding before any charge: {}", id, e.getMessage());
      records.voidUncharged(id, clock.instant());
      return stored(
          id,
          new PurchaseAnswer(
              503,
              bodies.error(
                  "SIGNING_UNAVAILABLE", "receipts cannot be issued now; nothing charged", id),
              e.retryAfter(),
              false));
    }
    records.storeReceipt(id, receipt, clock.instant());
    LOG.info("purchase {}: receipt {} stored", id, receipt.jti());
    return chargeAndComplete(priced, app.slug(), receipt.receipt());
  }

  /** Charges a SIGNED purchase under its id (free apps: no charge) and completes it. */
  private PurchaseAnswer chargeAndComplete(Priced priced, String slug, String receipt) {
    UUID id = priced.id();
    if (priced.free()) {
      return completeAfterCharge(id, null, slug, receipt);
    }
    BigDecimal amount = priced.amount();
    String currency = priced.currency();
    GatewayCharge charge;
    try (var timer = metrics.timeCharge()) {
      charge = gateway.charge(id.toString(), amount, currency, id.toString());
    } catch (GatewayUnavailableException e) {
      LOG.warn("purchase {}: gateway did not process the charge, voiding: {}", id, e.getMessage());
      records.voidUncharged(id, clock.instant());
      return stored(
          id,
          new PurchaseAnswer(
              503,
              bodies.error(
                  "PAYMENT_UNAVAILABLE", "payments cannot be taken now; nothing charged", id),
              retryAfter,
              false));
    } catch (ChargeOutcomeUnknownException e) {
      LOG.warn("purchase {}: charge outcome unknown, looking it up: {}", id, e.getMessage());
      Optional<GatewayCharge> resolved = resolve(id, amount, currency);
      if (resolved.isEmpty()) {
        LOG.warn("purchase {}: charge unresolved, left SIGNED for the reconciler", id);
        return stored(
            id,
            new PurchaseAnswer(202, bodies.purchase(id, "PENDING", receipt, null), null, false));
      }
      charge = resolved.get();
    }
    if (!charge.moneyMoved()) {
      LOG.info("purchase {}: charge {} {}, voiding", id, charge.id(), charge.status());
      records.voidUncharged(id, clock.instant());
      return stored(
          id,
          new PurchaseAnswer(
              402, bodies.error("PAYMENT_DECLINED", "the payment was declined", id), null, false));
    }
    LOG.info("purchase {}: charged {}", id, charge.id());
    return completeAfterCharge(id, charge.id(), slug, receipt);
  }

  /**
   * After an unknown outcome: look the charge up; if none is recorded, the first attempt may still
   * be in flight, so repeat it under the same key (always safe), then look up once more.
   */
  private Optional<GatewayCharge> resolve(UUID id, BigDecimal amount, String currency) {
    try {
      Optional<GatewayCharge> found = gateway.lookup(id.toString());
      if (found.isPresent()) {
        return found;
      }
      return Optional.of(gateway.charge(id.toString(), amount, currency, id.toString()));
    } catch (GatewayUnavailableException | ChargeOutcomeUnknownException e) {
      try {
        return gateway.lookup(id.toString());
      } catch (ChargeOutcomeUnknownException again) {
        return Optional.empty();
      }
    }
  }

  private PurchaseAnswer completeAfterCharge(
      UUID id, String chargeId, String slug, String receipt) {
    String answer = bodies.completed(id, slug, receipt);
    try {
      records.complete(id, chargeId, answer, clock.instant());
      LOG.info("purchase {}: completed", id);
    } catch (RuntimeException e) {
      LOG.warn("purchase {}: completion write failed, journalling it: {}", id, e.toString());
      try {
        journal.append(new CompletionJournal.Entry(UUID.randomUUID(), id, chargeId, answer));
        LOG.info("purchase {}: completion journalled in {}", id, journal.file());
      } catch (IOException io) {
        LOG.error(
            "purchase {}: charge {} neither completed nor journalled; reconciler must complete it",
            id,
            chargeId,
            io);
        return new PurchaseAnswer(202, bodies.purchase(id, "PENDING", receipt, null), null, false);
      }
    }
    metrics.completed();
    return new PurchaseAnswer(201, answer, null, false);
  }

  private PurchaseAnswer replay(Answered answered) {
    if (answered.status() == 202) {
      // A pending purchase may have been resolved since: answer what it is now.
      Optional<Purchase> now = records.find(answered.purchaseId());
      if (now.isPresent() && "COMPLETED".equals(now.get().status())) {
        Purchase p = now.get();
        return new PurchaseAnswer(
            201, bodies.completed(p.id(), p.appSlug(), p.receipt()), null, true);
      }
    }
    Duration after = answered.status() == 503 ? retryAfter : null;
    return new PurchaseAnswer(answered.status(), answered.body(), after, true);
  }

  /** Stores the answer under the key; a failure to store leaves the key in flight (409). */
  private PurchaseAnswer stored(UUID id, PurchaseAnswer answer) {
    try {
      records.answer(id, answer.status(), answer.body(), clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("purchase {}: answer not stored under its key: {}", id, e.toString());
    }
    return answer;
  }

  /** The public app {@code slug}, priced as the primary has it (under the flow's bulkhead). */
  public Optional<AppRecord> app(String slug) {
    return records.publicApp(slug);
  }

  /** The purchase as its owner (or an operator) may see it again: redownload (F21, F30). */
  public PurchaseAnswer show(CatalogUser caller, UUID id) {
    Optional<Purchase> found = records.find(id);
    if (found.isEmpty()
        || !(found.get().userId().equals(caller.subject()) || caller.isOperator())) {
      return error(404, "NOT_FOUND", "no such purchase", null);
    }
    Purchase p = found.get();
    boolean usable = "COMPLETED".equals(p.status()) || "SIGNED".equals(p.status());
    return new PurchaseAnswer(
        200,
        bodies.purchase(
            p.id(),
            "SIGNED".equals(p.status()) ? "PENDING" : p.status(),
            usable ? p.receipt() : null,
            "COMPLETED".equals(p.status()) ? bodies.downloadUrl(p.appSlug(), p.id()) : null),
        null,
        false);
  }

  /** Operator refund: the gateway refund first (its own key), then REFUNDED. */
  public PurchaseAnswer refund(CatalogUser operator, UUID id) {
    Optional<Purchase> found = records.find(id);
    if (found.isEmpty()) {
      return error(404, "NOT_FOUND", "no such purchase", null);
    }
    Purchase p = found.get();
    if ("REFUNDED".equals(p.status())) {
      return new PurchaseAnswer(200, bodies.purchase(id, "REFUNDED", null, null), null, true);
    }
    if (!"COMPLETED".equals(p.status())) {
      return error(409, "NOT_REFUNDABLE", "only a completed purchase can be refunded", id);
    }
    if (p.chargeId() != null) {
      try {
        gateway.refund(p.chargeId(), "refund-" + id);
      } catch (GatewayUnavailableException | ChargeOutcomeUnknownException e) {
        LOG.warn("purchase {}: refund not confirmed by the gateway: {}", id, e.getMessage());
        return new PurchaseAnswer(
            503,
            bodies.error("PAYMENT_UNAVAILABLE", "refund not confirmed; retrying is safe", id),
            retryAfter,
            false);
      }
    }
    if (records.markRefunded(id, null, operator.subject(), clock.instant())) {
      metrics.refunded();
    }
    LOG.info("purchase {}: refunded by {}", id, operator.subject());
    return new PurchaseAnswer(200, bodies.purchase(id, "REFUNDED", null, null), null, false);
  }

  /**
   * A fresh receipt for an expired one (F30): the receipt must be one the store issued (same jti,
   * same bytes, checked on the primary) for a COMPLETED purchase. A receipt that has not expired
   * gets the purchase's newest receipt back. The signer is asked under a derived purchase id
   * ({@code <id>:reissue:<epoch second>}), since it answers one receipt per purchase id.
   */
  public PurchaseAnswer reissue(
      String oldReceipt, java.util.function.Function<String, Optional<AppRecord>> apps) {
    String jti;
    try {
      jti = com.nimbusds.jwt.SignedJWT.parse(oldReceipt.trim()).getJWTClaimsSet().getJWTID();
    } catch (java.text.ParseException | RuntimeException e) {
      return error(400, "RECEIPT_UNREADABLE", "the body must be a receipt (compact JWS)", null);
    }
    Optional<Purchase> found =
        jti == null
            ? Optional.empty()
            : records.purchaseOfReceipt(jti, oldReceipt.trim()).flatMap(records::find);
    if (found.isEmpty()) {
      return error(404, "RECEIPT_UNKNOWN", "this store issued no such receipt", null);
    }
    Purchase p = found.get();
    if (!"COMPLETED".equals(p.status())) {
      return error(409, "NOT_REISSUABLE", "the purchase is " + p.status(), p.id());
    }
    Instant now = clock.instant();
    if (p.receiptExpiresAt() != null && p.receiptExpiresAt().isAfter(now)) {
      return new PurchaseAnswer(
          200,
          bodies.purchase(p.id(), p.status(), p.receipt(), bodies.downloadUrl(p.appSlug(), p.id())),
          null,
          false);
    }
    Optional<AppRecord> app = apps.apply(p.appSlug());
    if (app.isEmpty()) {
      return error(409, "NOT_REISSUABLE", "the app is no longer public", p.id());
    }
    SignedReceipt fresh;
    try {
      fresh =
          signer.sign(
              new ReceiptOrder(
                  p.id() + ":reissue:" + now.getEpochSecond(),
                  app.get().originUrl(),
                  "id=" + app.get().id(),
                  directedIds.of(p.userId(), app.get().originUrl()),
                  p.createdAt(),
                  p.amount() == null ? ZERO : p.amount(),
                  p.currency() == null ? FREE_CURRENCY : p.currency()));
    } catch (ReceiptSigningException e) {
      LOG.warn("purchase {}: reissue failed: {}", p.id(), e.getMessage());
      return new PurchaseAnswer(
          503,
          bodies.error("SIGNING_UNAVAILABLE", "receipts cannot be issued now", p.id()),
          e.retryAfter(),
          false);
    }
    records.addReceipt(p.id(), fresh, now);
    LOG.info("purchase {}: receipt reissued as {}", p.id(), fresh.jti());
    return new PurchaseAnswer(
        200,
        bodies.purchase(
            p.id(), p.status(), fresh.receipt(), bodies.downloadUrl(p.appSlug(), p.id())),
        null,
        false);
  }

  private PurchaseAnswer error(int status, String reason, String message, UUID id) {
    return new PurchaseAnswer(status, bodies.error(reason, message, id), null, false);
  }
}
