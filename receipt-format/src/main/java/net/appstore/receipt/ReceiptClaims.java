package net.appstore.receipt;

import static net.appstore.receipt.RejectionReason.MALFORMED_CLAIMS;
import static net.appstore.receipt.RejectionReason.WRONG_TYPE;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Strict conversion between {@link Receipt} and a JWT claims set.
 *
 * <p>Parsing refuses a missing or ill-typed claim with {@link RejectionReason#MALFORMED_CLAIMS} and
 * an unknown {@code typ} with {@link RejectionReason#WRONG_TYPE}, naming the claim but never
 * echoing its value (values come from the token and end up in logs). Claims this format does not
 * define are ignored, as JWT requires, so the signer can add one before every verifier knows it.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReceiptClaims {

  private ReceiptClaims() {}

  /** The claims set the signer signs for {@code receipt}. */
  public static JWTClaimsSet toClaimsSet(Receipt receipt) {
    Map<String, Object> product = new LinkedHashMap<>();
    product.put("url", receipt.product().url().toString());
    product.put("storedata", receipt.product().storedata());
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("type", User.TYPE);
    user.put("value", receipt.user().value());
    return new JWTClaimsSet.Builder()
        .claim("typ", receipt.typ().claimValue())
        .claim("product", product)
        .claim("user", user)
        .issuer(receipt.iss())
        .notBeforeTime(Date.from(receipt.nbf()))
        .issueTime(Date.from(receipt.iat()))
        .expirationTime(Date.from(receipt.exp()))
        .jwtID(receipt.jti())
        .claim("verify", receipt.verify().toString())
        .claim("reissue", receipt.reissue().toString())
        .claim("detail", receipt.detail().toString())
        .build();
  }

  /**
   * The receipt carried by {@code claims}.
   *
   * @throws ReceiptRejectedException with {@code WRONG_TYPE} for an unknown {@code typ}, else
   *     {@code MALFORMED_CLAIMS}
   */
  public static Receipt fromClaimsSet(JWTClaimsSet claims) throws ReceiptRejectedException {
    ReceiptType typ =
        ReceiptType.fromClaimValue(string(claims.getClaim("typ"), "typ"))
            .orElseThrow(
                () -> new ReceiptRejectedException(WRONG_TYPE, "unknown receipt typ claim"));
    Map<String, Object> product = object(claims.getClaim("product"), "product");
    Map<String, Object> user = object(claims.getClaim("user"), "user");
    if (!User.TYPE.equals(user.get("type"))) {
      throw new ReceiptRejectedException(MALFORMED_CLAIMS, "user.type is not " + User.TYPE);
    }
    try {
      return new Receipt(
          typ,
          new Product(
              storeWideUri(product.get("url"), "product.url"),
              string(product.get("storedata"), "product.storedata")),
          new User(string(user.get("value"), "user.value")),
          string(claims.getClaim("iss"), "iss"),
          date(claims, "nbf"),
          date(claims, "iat"),
          date(claims, "exp"),
          string(claims.getClaim("jti"), "jti"),
          storeWideUri(claims.getClaim("verify"), "verify"),
          storeWideUri(claims.getClaim("reissue"), "reissue"),
          absolute(AbsoluteUris.parse(string(claims.getClaim("detail"), "detail")), "detail"));
    } catch (IllegalArgumentException e) {
      // The records' own invariants (non-empty values, exp after iat and nbf).
      throw new ReceiptRejectedException(MALFORMED_CLAIMS, e.getMessage(), e);
    }
  }

  private static String string(Object value, String name) throws ReceiptRejectedException {
    if (value instanceof String s) {
      return s;
    }
    throw new ReceiptRejectedException(MALFORMED_CLAIMS, name + " is missing or not a string");
  }

  @SuppressWarnings("unchecked") // Nimbus represents every JSON object as Map<String, Object>.
  private static Map<String, Object> object(Object value, String name)
      throws ReceiptRejectedException {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new ReceiptRejectedException(MALFORMED_CLAIMS, name + " is missing or not an object");
  }

  /** A URI claim that is the same in many receipts: parsed once (see {@link AbsoluteUris}). */
  private static URI storeWideUri(Object value, String name) throws ReceiptRejectedException {
    return absolute(AbsoluteUris.remembered(string(value, name)), name);
  }

  private static URI absolute(Optional<URI> uri, String name) throws ReceiptRejectedException {
    // Reported without the offending value.
    return uri.orElseThrow(
        () -> new ReceiptRejectedException(MALFORMED_CLAIMS, name + " is not an absolute URI"));
  }

  private static Instant date(JWTClaimsSet claims, String name) throws ReceiptRejectedException {
    try {
      Date date = claims.getDateClaim(name);
      if (date != null) {
        return date.toInstant();
      }
    } catch (ParseException e) {
      // Reported below, without the offending value.
    }
    throw new ReceiptRejectedException(MALFORMED_CLAIMS, name + " is missing or not a number");
  }
}
