package net.appstore.receipt.verify;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import net.appstore.receipt.ReceiptType;

/**
 * What a verifier accepts beyond the signature.
 *
 * @param allowedIssuers exact {@code iss} values accepted (receipts and blocklists)
 * @param allowedTypes receipt types accepted; {@link #forIssuers} leaves test receipts out
 * @param maxClockSkew how far in the future {@code nbf} and {@code iat} may lie, to forgive a
 *     signer clock slightly ahead of ours; at most {@link #MAX_CLOCK_SKEW}. Never applied to {@code
 *     exp}: skew must not lengthen a receipt's life
 */
public record VerifierSettings(
    Set<String> allowedIssuers, Set<ReceiptType> allowedTypes, Duration maxClockSkew) {

  /** Default skew: NTP keeps hosts far closer; a minute absorbs a slow sync without risk. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  /** Upper bound: a larger skew would hide a broken clock instead of tolerating a slow one. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  public VerifierSettings {
    allowedIssuers = Set.copyOf(allowedIssuers);
    allowedTypes = Set.copyOf(allowedTypes);
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (allowedIssuers.isEmpty() || allowedTypes.isEmpty()) {
      throw new IllegalArgumentException("at least one issuer and one receipt type are needed");
    }
    if (maxClockSkew.isNegative() || maxClockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("maxClockSkew must be between 0 and " + MAX_CLOCK_SKEW);
    }
  }

  /** Purchase, developer and reviewer receipts from these issuers, default skew. */
  public static VerifierSettings forIssuers(Set<String> issuers) {
    return new VerifierSettings(
        issuers,
        EnumSet.of(ReceiptType.PURCHASE, ReceiptType.DEVELOPER, ReceiptType.REVIEWER),
        DEFAULT_CLOCK_SKEW);
  }

  /** The same settings, also accepting test receipts (for test deployments only). */
  public VerifierSettings allowingTestReceipts() {
    Set<ReceiptType> types = EnumSet.of(ReceiptType.TEST);
    types.addAll(allowedTypes);
    return new VerifierSettings(allowedIssuers, types, maxClockSkew);
  }

  public VerifierSettings withMaxClockSkew(Duration skew) {
    return new VerifierSettings(allowedIssuers, allowedTypes, skew);
  }
}
