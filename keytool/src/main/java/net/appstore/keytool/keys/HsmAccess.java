package net.appstore.keytool.keys;

import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.Arrays;
import net.appstore.hsm.HsmCanary;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.KeytoolConfig;

/** Opening the HSM for a command, and checking that a registered key is really in it. */
public final class HsmAccess {

  private static final Duration CANARY_TIMEOUT = Duration.ofSeconds(10);

  private HsmAccess() {}

  /**
   * Logs in to the configured token with the PIN from the environment or the terminal; the PIN
   * array is wiped afterwards.
   *
   * @throws KeytoolException (usage) when the token label, the PIN or the JVM flag is missing
   */
  public static HsmToken open(KeytoolConfig config, KeytoolContext context)
      throws KeytoolException, HsmException {
    String label =
        config
            .tokenLabel()
            .orElseThrow(
                () ->
                    KeytoolException.usage(
                        "no HSM token: set HSM_TOKEN_LABEL or hsm.token-label in the"
                            + " configuration file"));
    HsmSettings settings;
    try {
      settings = new HsmSettings(config.pkcs11Library(), label);
    } catch (IllegalArgumentException e) {
      throw KeytoolException.usage(e.getMessage());
    }
    char[] pin = context.hsmPin(label);
    try {
      return HsmToken.open(settings, pin);
    } catch (IllegalStateException e) {
      // The JVM lacks --add-exports (see hsm-config/README.md): a deployment error.
      throw KeytoolException.usage(e.getMessage());
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /**
   * Proves that the HSM holds the registered key and that it signs: its certificate there is the
   * registry's, and a canary signature made in the HSM verifies with it.
   *
   * @throws KeytoolException (integrity) when the HSM has no such key or another one
   */
  public static void requireUsable(HsmToken hsm, RegisteredKey key)
      throws KeytoolException, HsmException {
    HsmKey inHsm;
    try {
      inHsm = hsm.key(key.hsmLabel());
    } catch (HsmKeyException e) {
      if (e.reason() != HsmKeyException.Reason.KEY_ABSENT) {
        throw e;
      }
      throw KeytoolException.integrity(
          key.kid()
              + " is registered but HSM token '"
              + hsm.settings().tokenLabel()
              + "' has no key labelled '"
              + key.hsmLabel()
              + "'");
    }
    try {
      byte[] registered = PublishedKeys.certificates(key).get(0).getEncoded();
      if (!Arrays.equals(registered, inHsm.certificate().getEncoded())) {
        throw KeytoolException.integrity(
            "the HSM key labelled '"
                + key.hsmLabel()
                + "' has another certificate than the registry's "
                + key.kid());
      }
    } catch (CertificateEncodingException e) {
      throw KeytoolException.integrity("cannot encode the certificate of " + key.kid() + ": " + e);
    }
    try (HsmCanary canary = new HsmCanary(hsm, CANARY_TIMEOUT)) {
      canary.check(key.hsmLabel());
    }
  }
}
