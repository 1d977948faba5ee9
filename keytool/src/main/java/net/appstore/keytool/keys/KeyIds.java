package net.appstore.keytool.keys;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.appstore.keys.KeyPurpose;

/**
 * Key ids, which are also the keys' HSM labels: {@code <purpose>-<yyyyMMdd>-<8 hex>}, e.g. {@code
 * receipt-20261126-3f9a0c12}. Plain enough for a JWS header, an HSM label and a log line; the date
 * tells an operator the key's age at a glance; the random part keeps two generations apart.
 * Stateless, thread-safe.
 */
public final class KeyIds {

  private static final Pattern KID =
      Pattern.compile("^(root|receipt|blocklist)-[0-9]{8}-[0-9a-f]{8}$");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyIds() {}

  public static String newKid(KeyPurpose purpose, Instant now) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return purpose.wireName() + "-" + DAY.format(now) + "-" + HexFormat.of().formatHex(random);
  }

  /** Whether keytool would have named a key of this purpose so. */
  public static boolean isKeytoolLabel(String label, KeyPurpose purpose) {
    Matcher matcher = KID.matcher(label);
    return matcher.matches() && matcher.group(1).equals(purpose.wireName());
  }
}
