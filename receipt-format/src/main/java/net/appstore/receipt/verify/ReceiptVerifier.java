package net.appstore.receipt.verify;

import static net.appstore.receipt.RejectionReason.NOT_YET_VALID;
import static net.appstore.receipt.RejectionReason.TYPE_NOT_ALLOWED;
import static net.appstore.receipt.RejectionReason.WRONG_ISSUER;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptClaims;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.jose.DocumentType;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.KeySource;
import net.appstore.receipt.keys.KeySourceUnavailableException;

/**
 * Verifies receipts: a compact token in, a {@link VerifiedReceipt} out, or a {@link
 * ReceiptRejectedException} whose reason the verifier service reports. Checks, cheapest first:
 * size, compact form, header policy, key known, algorithm pinned, key certified at {@code iat},
 * signature, then the claims — well-formed, type allowed, issuer allowed, {@code nbf} and {@code
 * iat} not in the future beyond the skew, {@code exp} strictly after now (a receipt expiring
 * exactly now is expired).
 *
 * <p>Whether the purchase still stands (refunded, pending) is not decided here; that needs the
 * purchase database, looked up by {@link Receipt#jti()}, never by token bytes (ECDSA signatures are
 * malleable, so one receipt can have several valid encodings).
 *
 * <p>Immutable and thread-safe if the {@link KeySource} is.
 */
public final class ReceiptVerifier {

  private final SignedTokenVerifier signatures;
  private final VerifierSettings settings;
  private final Clock clock;

  public ReceiptVerifier(
      KeySource keys, CertificateChainValidator trust, VerifierSettings settings, Clock clock) {
    this.signatures = new SignedTokenVerifier(keys, trust);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @throws ReceiptRejectedException if the token is not a good receipt now
   * @throws KeySourceUnavailableException if the key source cannot answer: the service says 503
   */
  public VerifiedReceipt verify(String token)
      throws ReceiptRejectedException, KeySourceUnavailableException {
    Instant now = clock.instant();
    Receipt receipt =
        ReceiptClaims.fromClaimsSet(signatures.verify(token, DocumentType.RECEIPT, now));
    if (!settings.allowedTypes().contains(receipt.typ())) {
      throw new ReceiptRejectedException(
          TYPE_NOT_ALLOWED, receipt.typ().claimValue() + " is not accepted here");
    }
    if (!settings.allowedIssuers().contains(receipt.iss())) {
      throw new ReceiptRejectedException(WRONG_ISSUER, "iss is not an allowed issuer");
    }
    Instant latest = now.plus(settings.maxClockSkew());
    if (receipt.nbf().isAfter(latest) || receipt.iat().isAfter(latest)) {
      throw new ReceiptRejectedException(NOT_YET_VALID, "nbf or iat is in the future");
    }
    if (!receipt.exp().isAfter(now)) {
      throw ReceiptRejectedException.expired("exp is not after now", receipt.reissue());
    }
    return new VerifiedReceipt(receipt);
  }
}
