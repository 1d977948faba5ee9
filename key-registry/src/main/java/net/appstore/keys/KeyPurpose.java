package net.appstore.keys;

import java.util.Locale;

/** What a key in the registry signs. The root only certifies the other keys. */
public enum KeyPurpose {
  ROOT,
  RECEIPT,
  BLOCKLIST;

  /** The name stored in the registry and used on command lines. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static KeyPurpose fromWireName(String value) {
    for (KeyPurpose purpose : values()) {
      if (purpose.wireName().equals(value)) {
        return purpose;
      }
    }
    throw new IllegalArgumentException(
        "unknown key purpose '" + value + "' (expected root, receipt or blocklist)");
  }
}
