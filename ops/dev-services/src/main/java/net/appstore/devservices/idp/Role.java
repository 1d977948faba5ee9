package net.appstore.devservices.idp;

import java.util.List;
import java.util.Locale;

/**
 * Who a token is for. The {@code roles} claim carries the difference: an operator is also a user
 * (may post a review), and in addition may run operator actions such as managing the blocklist.
 */
public enum Role {
  USER(List.of("user")),
  OPERATOR(List.of("user", "operator"));

  private final List<String> claim;

  Role(List<String> claim) {
    this.claim = claim;
  }

  /** The value of the {@code roles} claim. */
  public List<String> claim() {
    return claim;
  }

  /** {@code user} or {@code operator}, case-insensitive. */
  public static Role parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
