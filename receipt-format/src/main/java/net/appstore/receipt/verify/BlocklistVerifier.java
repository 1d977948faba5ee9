package net.appstore.receipt.verify;

import static net.appstore.receipt.RejectionReason.EXPIRED;
import static net.appstore.receipt.RejectionReason.MALFORMED_CLAIMS;
import static net.appstore.receipt.RejectionReason.NOT_YET_VALID;
import static net.appstore.receipt.RejectionReason.WRONG_ISSUER;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.jose.DocumentType;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.KeySource;
import net.appstore.receipt.keys.KeySourceUnavailableException;

/**
 * Verifies signed blocklists ({@code typ: blocklist+jwt}) with the same policy, keys and trust as
 * receipts. The claims checked are the ones every blocklist has: {@code iss} on the allowlist,
 * {@code iat} (and {@code nbf} if present) not in the future beyond the skew, {@code exp} (if
 * present) strictly after now. The list itself is the catalog's format.
 *
 * <p>Immutable and thread-safe if the {@link KeySource} is.
 */
public final class BlocklistVerifier {

  private final SignedTokenVerifier signatures;
  private final VerifierSettings settings;
  private final Clock clock;

  /** {@code settings.allowedTypes()} is not used: blocklists have no receipt type. */
  public BlocklistVerifier(
      KeySource keys, CertificateChainValidator trust, VerifierSettings settings, Clock clock) {
    this.signatures = new SignedTokenVerifier(keys, trust);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @throws ReceiptRejectedException if the token is not a good blocklist now
   * @throws KeySourceUnavailableException if the key source cannot answer
   */
  public VerifiedBlocklist verify(String token)
      throws ReceiptRejectedException, KeySourceUnavailableException {
    Instant now = clock.instant();
    JWTClaimsSet claims = signatures.verify(token, DocumentType.BLOCKLIST, now);
    if (claims.getIssuer() == null || claims.getIssueTime() == null) {
      throw new ReceiptRejectedException(MALFORMED_CLAIMS, "a blocklist needs iss and iat");
    }
    if (!settings.allowedIssuers().contains(claims.getIssuer())) {
      throw new ReceiptRejectedException(WRONG_ISSUER, "iss is not an allowed issuer");
    }
    Instant latest = now.plus(settings.maxClockSkew());
    if (isAfter(claims.getIssueTime(), latest) || isAfter(claims.getNotBeforeTime(), latest)) {
      throw new ReceiptRejectedException(NOT_YET_VALID, "nbf or iat is in the future");
    }
    Date exp = claims.getExpirationTime();
    if (exp != null && !exp.toInstant().isAfter(now)) {
      throw new ReceiptRejectedException(EXPIRED, "exp is not after now");
    }
    return new VerifiedBlocklist(claims);
  }

  private static boolean isAfter(Date date, Instant limit) {
    return date != null && date.toInstant().isAfter(limit);
  }
}
