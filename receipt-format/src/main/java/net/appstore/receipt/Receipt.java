package net.appstore.receipt;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The claims of one receipt, in the Web Application Receipt format.
 *
 * <p>Instants are truncated to whole seconds on construction, because JWT dates are whole seconds:
 * a receipt then survives {@link ReceiptClaims#toClaimsSet} and back unchanged.
 *
 * @param typ what kind of receipt this is
 * @param product the app bought
 * @param user the buyer, as a per-app pseudonym
 * @param iss the issuing store, compared exactly against a verifier's issuer allowlist
 * @param nbf the purchase time; the receipt is not valid before it
 * @param iat when the receipt was signed; certificates are checked as of this instant
 * @param exp when the receipt stops being valid; it is expired from this instant on
 * @param jti the receipt id: the identity of the receipt everywhere (never the token bytes)
 * @param verify where an app can verify the receipt
 * @param reissue where an app can get a fresh receipt once this one has expired
 * @param detail a human-readable page about the purchase
 */
public record Receipt(
    ReceiptType typ,
    Product product,
    User user,
    String iss,
    Instant nbf,
    Instant iat,
    Instant exp,
    String jti,
    URI verify,
    URI reissue,
    URI detail) {

  public Receipt {
    Objects.requireNonNull(typ, "typ");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(user, "user");
    requireNonEmpty(iss, "iss");
    nbf = Objects.requireNonNull(nbf, "nbf").truncatedTo(ChronoUnit.SECONDS);
    iat = Objects.requireNonNull(iat, "iat").truncatedTo(ChronoUnit.SECONDS);
    exp = Objects.requireNonNull(exp, "exp").truncatedTo(ChronoUnit.SECONDS);
    requireNonEmpty(jti, "jti");
    Claims.requireAbsolute(verify, "verify");
    Claims.requireAbsolute(reissue, "reissue");
    Claims.requireAbsolute(detail, "detail");
    // A receipt that is born expired is a signer bug, not a receipt.
    if (!exp.isAfter(iat) || !exp.isAfter(nbf)) {
      throw new IllegalArgumentException("exp must be after iat and nbf");
    }
  }

  private static void requireNonEmpty(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
