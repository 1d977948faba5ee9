package net.appstore.signer.db;

import java.time.Instant;
import java.util.Objects;

/**
 * A receipt as the signer stored it. Immutable; {@link #toString()} leaves the token out.
 *
 * @param requestSha256 the order's fingerprint, compared for idempotency
 * @param token the compact JWS returned to the caller
 */
public record StoredReceipt(
    String purchaseId,
    String jti,
    byte[] requestSha256,
    String caller,
    String iss,
    String typ,
    String kid,
    String priceAmount,
    String priceCurrency,
    Instant nbf,
    Instant issuedAt,
    Instant expiresAt,
    String token) {

  public StoredReceipt {
    Objects.requireNonNull(purchaseId, "purchaseId");
    Objects.requireNonNull(jti, "jti");
    requestSha256 = requestSha256.clone();
    Objects.requireNonNull(token, "token");
  }

  @Override
  public byte[] requestSha256() {
    return requestSha256.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredReceipt that
        && purchaseId.equals(that.purchaseId)
        && jti.equals(that.jti)
        && java.util.Arrays.equals(requestSha256, that.requestSha256)
        && token.equals(that.token);
  }

  @Override
  public int hashCode() {
    return jti.hashCode();
  }

  @Override
  public String toString() {
    return "StoredReceipt[purchase " + purchaseId + ", jti " + jti + ", kid " + kid + "]";
  }
}
