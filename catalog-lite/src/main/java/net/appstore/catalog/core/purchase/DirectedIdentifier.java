package net.appstore.catalog.core.purchase;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The buyer's per-app pseudonym in a receipt: HMAC-SHA256 of the user id and the product origin
 * under a store secret, so that two apps cannot link their users. Thread-safe.
 */
public final class DirectedIdentifier {

  private final SecretKeySpec key;

  public DirectedIdentifier(String secret) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("the directed-identifier secret needs 16+ characters");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public String of(String userId, String productOrigin) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal((userId + "\n" + productOrigin).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
