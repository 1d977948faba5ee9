package net.appstore.hsm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Inline SunPKCS11 configuration ({@code --name=...} form for {@code Provider.configure}), so no
 * config file has to be written or kept in sync with the slot found at run time.
 *
 * <p>The attribute blocks are the point of this class: without them SunPKCS11 generates private
 * keys that are not sensitive, and as session objects. Generated private keys are token objects,
 * private, sensitive and not extractable; public keys are token objects, so the HSM holds the whole
 * pair. Stateless and thread-safe.
 */
final class SunPkcs11Config {

  private static final String KEY_PROTECTION =
      """
      attributes(generate, CKO_PRIVATE_KEY, *) = {
        CKA_TOKEN = true
        CKA_PRIVATE = true
        CKA_SENSITIVE = true
        CKA_EXTRACTABLE = false
      }
      attributes(generate, CKO_PUBLIC_KEY, *) = {
        CKA_TOKEN = true
      }
      """;

  private SunPkcs11Config() {}

  /** Configuration for using the token in {@code slot}. */
  static String forSlot(String tokenLabel, Path library, long slot) {
    return header(tokenLabel, library, slot) + KEY_PROTECTION;
  }

  /**
   * Configuration whose key generation also names both objects: CKA_ID and CKA_LABEL = {@code
   * keyLabel}. SunPKCS11 can only label a key through a certificate; naming the objects at birth
   * means a failed certification leaves nothing anonymous behind to clean up.
   */
  static String forKeyGeneration(String tokenLabel, Path library, long slot, String keyLabel) {
    String hex = "0h" + HexFormat.of().formatHex(keyLabel.getBytes(StandardCharsets.UTF_8));
    return forSlot(tokenLabel, library, slot)
        + "attributes(generate, *, *) = {\n  CKA_ID = "
        + hex
        + "\n  CKA_LABEL = "
        + hex
        + "\n}\n";
  }

  private static String header(String tokenLabel, Path library, long slot) {
    String path = library.toString();
    if (path.contains("\"") || path.contains("\n")) {
      throw new IllegalArgumentException("PKCS#11 library path cannot be quoted: " + path);
    }
    // The name only labels the provider ("SunPKCS11-hsm-..."); SunPKCS11 accepts word characters.
    String name = "hsm-" + tokenLabel.replaceAll("[^A-Za-z0-9_.-]", "_");
    return "--name=" + name + "\nlibrary = \"" + path + "\"\nslot = " + slot + "\n";
  }
}
