package net.appstore.signer.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import net.appstore.receipt.Product;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.User;

/**
 * A validated request for a receipt: what the caller supplies. The signer adds {@code iss}, {@code
 * iat}, {@code exp}, {@code jti}, {@code kid} and the URLs. Immutable.
 *
 * @param purchaseId the store's purchase id, the idempotency key
 * @param typ the receipt typ
 * @param product the app bought
 * @param user the buyer's per-app pseudonym
 * @param nbf the purchase time
 * @param price what was paid (audit record only)
 * @param iss the issuer the caller asks for, if it names one
 */
public record ReceiptOrder(
    String purchaseId,
    ReceiptType typ,
    Product product,
    User user,
    Instant nbf,
    Price price,
    Optional<String> iss) {

  public ReceiptOrder {
    Objects.requireNonNull(purchaseId, "purchaseId");
    Objects.requireNonNull(typ, "typ");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(nbf, "nbf");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(iss, "iss");
  }

  /**
   * SHA-256 over everything that decides the receipt's content, with the issuer the signer chose:
   * two requests for one purchase get the same receipt exactly when this is equal. The encoding is
   * length-prefixed, so no two different orders encode alike.
   */
  public byte[] fingerprint(String issuer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(1); // encoding version
      write(out, purchaseId);
      write(out, issuer);
      write(out, typ.claimValue());
      write(out, product.url().toString());
      write(out, product.storedata());
      write(out, user.value());
      out.writeLong(nbf.getEpochSecond());
      write(out, price.amount());
      write(out, price.currency());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void write(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
