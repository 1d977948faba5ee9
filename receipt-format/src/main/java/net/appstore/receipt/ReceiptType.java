package net.appstore.receipt;

import java.util.Optional;

/**
 * The {@code typ} claim: who a receipt was issued to and why.
 *
 * <p>Only {@link #PURCHASE} proves a sale. The others exist so developers, reviewers and tests can
 * run a paid app; a verifier decides which of them it accepts ({@link #TEST} is off by default,
 * because a test receipt must never unlock a production app).
 */
public enum ReceiptType {
  PURCHASE("purchase-receipt"),
  DEVELOPER("developer-receipt"),
  REVIEWER("reviewer-receipt"),
  TEST("test-receipt");

  private final String claimValue;

  ReceiptType(String claimValue) {
    this.claimValue = claimValue;
  }

  /** The exact string carried in the {@code typ} claim. */
  public String claimValue() {
    return claimValue;
  }

  /** The type whose claim value is exactly {@code value} (case-sensitive), if any. */
  public static Optional<ReceiptType> fromClaimValue(String value) {
    for (ReceiptType type : values()) {
      if (type.claimValue.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
