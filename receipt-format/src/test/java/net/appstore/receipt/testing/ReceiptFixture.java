package net.appstore.receipt.testing;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.appstore.receipt.Product;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptClaims;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.User;

/**
 * A plausible receipt relative to a given "now", changed one claim at a time: bought a day ago,
 * signed an hour ago, valid for 180 days. Mutable, for tests only.
 */
public final class ReceiptFixture {

  private ReceiptType typ = ReceiptType.PURCHASE;
  private String storedata = "id=1042";
  private String iss = TestVectors.ISSUER;
  private Instant nbf;
  private Instant iat;
  private Instant exp;
  private String jti = "3f1c2a9e-5b7d-4e8f-9a21-7c4d0e6b1f20";

  private ReceiptFixture(Instant now) {
    nbf = now.minus(Duration.ofDays(1));
    iat = now.minus(Duration.ofHours(1));
    exp = now.plus(Duration.ofDays(180));
  }

  public static ReceiptFixture at(Instant now) {
    return new ReceiptFixture(now);
  }

  public ReceiptFixture typ(ReceiptType value) {
    typ = value;
    return this;
  }

  public ReceiptFixture storedata(String value) {
    storedata = value;
    return this;
  }

  public ReceiptFixture iss(String value) {
    iss = value;
    return this;
  }

  public ReceiptFixture nbf(Instant value) {
    nbf = value;
    return this;
  }

  public ReceiptFixture iat(Instant value) {
    iat = value;
    return this;
  }

  public ReceiptFixture exp(Instant value) {
    exp = value;
    return this;
  }

  public ReceiptFixture jti(String value) {
    jti = value;
    return this;
  }

  public Receipt build() {
    return new Receipt(
        typ,
        new Product(URI.create("https://chess.example"), storedata),
        new User("a3f9c0d2e1b4"),
        iss,
        nbf,
        iat,
        exp,
        jti,
        URI.create("https://verify.store.example/v1/verify"),
        URI.create("https://store.example/api/v1/receipts/reissue"),
        URI.create("https://store.example/receipts/" + jti));
  }

  /** The claims as a mutable JSON object, to edit into shapes {@link Receipt} cannot hold. */
  public Map<String, Object> claims() {
    return ReceiptClaims.toClaimsSet(build()).toJSONObject();
  }
}
