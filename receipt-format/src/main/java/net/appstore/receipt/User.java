package net.appstore.receipt;

import java.util.Objects;

/**
 * The {@code user} claim. Always of type {@value #TYPE}: a per-app pseudonym (an HMAC of the user
 * id and the product origin), so two apps cannot link their buyers through receipts.
 *
 * @param value the pseudonym; never the store's user id
 */
public record User(String value) {

  /** The only user type this store issues. */
  public static final String TYPE = "directed-identifier";

  public User {
    Objects.requireNonNull(value, "user.value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("user.value must not be empty");
    }
  }
}
