package net.appstore.signer.core;

import com.codahale.metrics.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.audit.IssuanceChain;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.keys.audit.IssuanceEntry.DocumentType;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.verify.VerifiedReceipt;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.core.SignatureMetrics.Outcome;
import net.appstore.signer.db.ReceiptLookupDao;
import net.appstore.signer.db.StoredReceipt;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Issues receipts: the policy around the signature. For one order it
 *
 * <ol>
 *   <li>checks the caller may sign this typ for this issuer (403 otherwise);
 *   <li>answers a purchase that has a receipt already: the same receipt if the claims are the same
 *       (200), 409 if not;
 *   <li>takes the ACTIVE receipt key, refusing one outside its validity window (F12);
 *   <li>fills {@code iss}, {@code iat}, {@code exp}, {@code jti} and the URLs, signs in the HSM;
 *   <li>verifies the signature in software with the key's registered certificate and compares the
 *       signed claims with the intended ones, so a bad signature is never returned (F14);
 *   <li>stores the receipt and appends it to the issuance log in one transaction (group commit).
 * </ol>
 *
 * Nothing is stored or logged unless every step passed. Thread-safe.
 */
public final class ReceiptIssuer {

  private static final Logger LOG = LoggerFactory.getLogger(ReceiptIssuer.class);

  /** 503 reason when the signature did not verify (F14). */
  public static final String SIGNATURE_CHECK_FAILED = "SIGNATURE_CHECK_FAILED";

  private final CallerPolicy policy;
  private final ActiveKeys keys;
  private final HsmSigner hsm;
  private final IssuanceWriter writer;
  private final Jdbi jdbi;
  private final Map<ReceiptType, Duration> lifetimes;
  private final Clock clock;
  private final Duration retryAfter;
  private final SignatureMetrics metrics;

  public ReceiptIssuer(
      CallerPolicy policy,
      ActiveKeys keys,
      HsmSigner hsm,
      IssuanceWriter writer,
      Jdbi jdbi,
      Map<ReceiptType, Duration> lifetimes,
      Clock clock,
      Duration retryAfter,
      SignatureMetrics metrics) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.hsm = Objects.requireNonNull(hsm, "hsm");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.lifetimes = Map.copyOf(lifetimes);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * @throws CallerNotAllowedException 403
   * @throws PurchaseConflictException 409
   * @throws ServiceUnavailableException 503: no valid key, HSM or database unavailable, or the
   *     signature did not verify
   */
  public IssuedReceipt issue(Caller caller, ReceiptOrder order) {
    String iss = caller.issuer(order.iss().orElse(null));
    caller.requireReceiptType(order.typ());
    Duration lifetime = lifetimes.get(order.typ());
    if (lifetime == null) {
      throw new CallerNotAllowedException(
          "no lifetime is configured for " + order.typ().claimValue() + " receipts");
    }
    byte[] fingerprint = order.fingerprint(iss);
    // A retry is rare, so the signature is started before the idempotency lookup and runs beside
    // it on an HSM worker; for a purchase that has a receipt it is dropped unseen, as when a
    // concurrent request for the purchase wins the commit.
    Signing signing = startSigning(order, iss, lifetime);
    Optional<StoredReceipt> existing = find(order.purchaseId());
    if (existing.isPresent()) {
      return replay(existing.get(), fingerprint);
    }
    String token = signing.await();
    ActiveKey key = signing.key();
    Receipt receipt = signing.receipt();
    verifyAfterSign(key, token, receipt);
    metrics.signature(KeyPurpose.RECEIPT, key.kid(), Outcome.OK);

    StoredReceipt stored =
        new StoredReceipt(
            order.purchaseId(),
            receipt.jti(),
            fingerprint,
            caller.name(),
            iss,
            order.typ().claimValue(),
            key.kid(),
            order.price().amount(),
            order.price().currency(),
            receipt.nbf(),
            receipt.iat(),
            receipt.exp(),
            token);
    IssuanceEntry entry =
        new IssuanceEntry(
            receipt.jti(),
            Optional.of(order.purchaseId()),
            DocumentType.RECEIPT,
            key.kid(),
            caller.name(),
            IssuanceChain.claimsSha256(payloadJson(token)),
            receipt.iat());
    IssuanceWriter.Outcome outcome =
        writer.commit(new IssuanceWriter.Pending(Optional.of(stored), entry));
    if (outcome == IssuanceWriter.Outcome.DUPLICATE_PURCHASE) {
      LOG.info("concurrent request for purchase {} won; signature dropped", order.purchaseId());
      return replay(
          find(order.purchaseId())
              .orElseThrow(() -> new IllegalStateException("duplicate purchase vanished")),
          fingerprint);
    }
    logOutcome(caller, stored, "issued");
    return new IssuedReceipt(stored, true);
  }

  /**
   * A receipt's signature in progress, or why it could not start (HSM unavailable, no valid key):
   * that refusal is the answer only if the purchase has no receipt yet.
   */
  private record Signing(
      ActiveKey key,
      Receipt receipt,
      HsmSigner.Running running,
      ServiceUnavailableException refused) {

    String await() {
      if (refused != null) {
        throw refused;
      }
      return running.await();
    }
  }

  private Signing startSigning(ReceiptOrder order, String iss, Duration lifetime) {
    try {
      hsm.requireAvailable();
      ActiveKey key = keys.require(KeyPurpose.RECEIPT);
      Instant now = clock.instant();
      String jti = UUID.randomUUID().toString();
      IssuerProfile profile = policy.issuer(iss);
      Receipt receipt =
          new Receipt(
              order.typ(),
              order.product(),
              order.user(),
              iss,
              order.nbf(),
              now,
              now.plus(lifetime),
              jti,
              profile.verify(),
              profile.reissue(),
              profile.detail(jti));
      return new Signing(key, receipt, hsm.start(key, signer -> signer.signReceipt(receipt)), null);
    } catch (ServiceUnavailableException e) {
      return new Signing(null, null, null, e);
    }
  }

  private IssuedReceipt replay(StoredReceipt stored, byte[] fingerprint) {
    if (!Arrays.equals(stored.requestSha256(), fingerprint)) {
      throw new PurchaseConflictException(
          "purchase " + stored.purchaseId() + " already has a receipt for other claims");
    }
    logOutcome(null, stored, "replayed");
    return new IssuedReceipt(stored, false);
  }

  /**
   * F14: the token must verify with the key's registered certificate, through the same checks a
   * verifier makes, and carry exactly the intended claims.
   */
  private void verifyAfterSign(ActiveKey key, String token, Receipt intended) {
    String problem;
    try (Timer.Context ignored = metrics.verifyLatency().time()) {
      VerifiedReceipt verified = key.receiptVerifier().verify(token);
      if (verified.receipt().equals(intended)) {
        return;
      }
      problem = "the signed claims differ from the intended ones";
    } catch (ReceiptRejectedException e) {
      problem = e.reason() + ": " + e.getMessage();
    } catch (KeySourceUnavailableException e) {
      problem = "verification key unavailable: " + e.getMessage();
    }
    metrics.signature(KeyPurpose.RECEIPT, key.kid(), Outcome.BAD_SIGNATURE);
    LOG.error(
        "F14: signature by {} (HSM label {}) failed verify-after-sign; nothing issued: {}",
        key.kid(),
        key.hsmLabel(),
        problem);
    throw new ServiceUnavailableException(
        SIGNATURE_CHECK_FAILED, "the signature did not verify; nothing was issued", retryAfter);
  }

  private Optional<StoredReceipt> find(String purchaseId) {
    try {
      return jdbi.withExtension(ReceiptLookupDao.class, dao -> dao.findByPurchaseId(purchaseId));
    } catch (JdbiException e) {
      throw new ServiceUnavailableException(
          IssuanceWriter.DATABASE_UNAVAILABLE, "the receipt store cannot be read", retryAfter, e);
    }
  }

  /** The claims exactly as signed: the decoded payload segment. */
  static String payloadJson(String token) {
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    return new String(
        Base64.getUrlDecoder().decode(token.substring(first + 1, second)), StandardCharsets.UTF_8);
  }

  private static void logOutcome(Caller caller, StoredReceipt receipt, String outcome) {
    MDC.put("purchase_id", receipt.purchaseId());
    MDC.put("jti", receipt.jti());
    MDC.put("kid", receipt.kid());
    MDC.put("outcome", outcome);
    try {
      LOG.info(
          "receipt {} for purchase {} ({}, {})",
          outcome,
          receipt.purchaseId(),
          receipt.typ(),
          caller == null ? receipt.caller() : caller.name());
    } finally {
      MDC.remove("purchase_id");
      MDC.remove("jti");
      MDC.remove("kid");
      MDC.remove("outcome");
    }
  }
}
