package net.appstore.devservices.payments;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A charge's status in the API: {@code succeeded} and {@code refunded} moved money. */
public enum ChargeStatus {
  /** The money was taken. */
  SUCCEEDED,
  /** Declined: nothing was charged. */
  DECLINED,
  /** Succeeded, then refunded in full. */
  REFUNDED;

  /** {@code succeeded}, {@code declined} or {@code refunded}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<ChargeStatus> byId(String id) {
    return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
  }
}
