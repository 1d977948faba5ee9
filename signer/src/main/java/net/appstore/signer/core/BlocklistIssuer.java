package net.appstore.signer.core;

import com.codahale.metrics.Timer;
import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.audit.IssuanceChain;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.keys.audit.IssuanceEntry.DocumentType;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.jose.JosePolicy;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.verify.VerifiedBlocklist;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.core.SignatureMetrics.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Signs blocklists for the catalog with the ACTIVE blocklist key ({@code typ: blocklist+jwt}).
 *
 * <p>The signed claims are the document's members plus {@code iss} and {@code iat}: if the document
 * carries them (the catalog sets {@code iss} to its public URL and {@code iat} to the generation
 * time), they are kept, provided the caller may sign for that issuer; otherwise the signer adds the
 * caller's issuer and the current time. Nothing else is added, so the signed payload is exactly the
 * document the catalog sent, which the catalog checks before publishing. Each signature is verified
 * in software (F14) and appended to the issuance log as a {@code blocklist} entry under an id of
 * its own (the document has no {@code jti}).
 *
 * <p>Thread-safe.
 */
public final class BlocklistIssuer {

  private static final Logger LOG = LoggerFactory.getLogger(BlocklistIssuer.class);

  /** Upper bound of header and signature segments (RSA-2048: 342 signature characters). */
  private static final int HEADER_AND_SIGNATURE_CHARS = 512;

  private final ActiveKeys keys;
  private final HsmSigner hsm;
  private final IssuanceWriter writer;
  private final Clock clock;
  private final Duration retryAfter;
  private final SignatureMetrics metrics;

  public BlocklistIssuer(
      ActiveKeys keys,
      HsmSigner hsm,
      IssuanceWriter writer,
      Clock clock,
      Duration retryAfter,
      SignatureMetrics metrics) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.hsm = Objects.requireNonNull(hsm, "hsm");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * @throws CallerNotAllowedException 403
   * @throws InvalidRequestException 400, when the document cannot be signed as a JWT claims set
   * @throws ServiceUnavailableException 503
   */
  public SignedBlocklist sign(Caller caller, BlocklistOrder order) {
    caller.requireBlocklists();
    String iss = caller.issuer(order.iss().orElse(null));
    Instant now = clock.instant();
    Map<String, Object> members = new TreeMap<>(order.members());
    members.put("iss", iss);
    members.put("iat", order.iat().orElse(now).getEpochSecond());
    JWTClaimsSet claims = claimsSet(members);

    hsm.requireAvailable();
    ActiveKey key = keys.require(KeyPurpose.BLOCKLIST);
    String token = hsm.sign(key, signer -> signer.signBlocklist(claims));
    verifyAfterSign(key, token, claims);
    metrics.signature(KeyPurpose.BLOCKLIST, key.kid(), Outcome.OK);

    String logId = "blocklist-" + UUID.randomUUID();
    IssuanceEntry entry =
        new IssuanceEntry(
            logId,
            Optional.empty(),
            DocumentType.BLOCKLIST,
            key.kid(),
            caller.name(),
            IssuanceChain.claimsSha256(ReceiptIssuer.payloadJson(token)),
            now);
    writer.commit(new IssuanceWriter.Pending(Optional.empty(), entry));
    MDC.put("jti", logId);
    MDC.put("kid", key.kid());
    MDC.put("outcome", "issued");
    try {
      LOG.info("blocklist signed for {}", iss);
    } finally {
      MDC.remove("jti");
      MDC.remove("kid");
      MDC.remove("outcome");
    }
    return new SignedBlocklist(token, key.kid(), logId);
  }

  private static JWTClaimsSet claimsSet(Map<String, Object> members) {
    JWTClaimsSet claims;
    try {
      claims = JWTClaimsSet.parse(members);
    } catch (ParseException e) {
      throw InvalidRequestException.of(
          "document", "a registered JWT claim (aud, sub, jti, exp, nbf) has the wrong type");
    }
    int payloadChars =
        (claims.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length * 4 + 2) / 3;
    if (payloadChars + HEADER_AND_SIGNATURE_CHARS > JosePolicy.MAX_TOKEN_CHARS) {
      throw InvalidRequestException.of(
          "document",
          "too large to sign: a signed blocklist may have at most "
              + JosePolicy.MAX_TOKEN_CHARS
              + " characters");
    }
    return claims;
  }

  private void verifyAfterSign(ActiveKey key, String token, JWTClaimsSet intended) {
    String problem;
    try (Timer.Context ignored = metrics.verifyLatency().time()) {
      VerifiedBlocklist verified = key.blocklistVerifier().verify(token);
      if (verified.claims().toJSONObject().equals(intended.toJSONObject())) {
        return;
      }
      problem = "the signed claims differ from the intended ones";
    } catch (ReceiptRejectedException e) {
      problem = e.reason() + ": " + e.getMessage();
    } catch (KeySourceUnavailableException e) {
      problem = "verification key unavailable: " + e.getMessage();
    }
    metrics.signature(KeyPurpose.BLOCKLIST, key.kid(), Outcome.BAD_SIGNATURE);
    LOG.error(
        "F14: blocklist signature by {} (HSM label {}) failed verify-after-sign: {}",
        key.kid(),
        key.hsmLabel(),
        problem);
    throw new ServiceUnavailableException(
        ReceiptIssuer.SIGNATURE_CHECK_FAILED,
        "the signature did not verify; nothing was issued",
        retryAfter);
  }
}
