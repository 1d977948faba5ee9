package net.appstore.verifier.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What {@code POST /v1/verify} says about a receipt; the JSON form is the lower-case name. */
public enum VerificationStatus {
  /** Authentic, current, and its purchase is completed: the app may run. */
  OK,
  /** Authentic and current, but its purchase is not (yet) known to be completed: ask again. */
  PENDING,
  /** Authentic, but the purchase was refunded. */
  REFUNDED,
  /** Authentic but past its {@code exp}: fetch a fresh one from the {@code reissue} URL. */
  EXPIRED,
  /** Not a receipt this store issued for a standing purchase; {@code reason} says why. */
  INVALID;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
