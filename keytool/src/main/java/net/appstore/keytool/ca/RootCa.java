package net.appstore.keytool.ca;

import static net.appstore.keytool.HumanTime.instant;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolException;
import net.appstore.receipt.jose.SigningAlgorithm;

/**
 * The deployment's root CA: its certificate from the registry and its private key in the HSM,
 * checked to belong together before anything is certified. Immutable; use within one command.
 */
public final class RootCa {

  private final RegisteredKey row;
  private final X509Certificate certificate;
  private final HsmKey key;
  private final HsmToken hsm;

  private RootCa(RegisteredKey row, X509Certificate certificate, HsmKey key, HsmToken hsm) {
    this.row = row;
    this.certificate = certificate;
    this.key = key;
    this.hsm = hsm;
  }

  /**
   * The registry's root, with its key found in the HSM, valid now.
   *
   * @throws KeytoolException refused when there is no valid root; integrity when the HSM does not
   *     hold the registry's root key
   */
  public static RootCa load(KeyRegistryDao dao, HsmToken hsm, Instant now)
      throws KeytoolException, HsmException {
    RootCa root = requirePaired(dao, hsm);
    if (!root.row.isValidAt(now)) {
      throw KeytoolException.refused(
          "the root "
              + root.kid()
              + " is valid only from "
              + instant(root.row.notBefore())
              + " until "
              + instant(root.row.notAfter())
              + "; a new root must be created and pinned in every verifier");
    }
    return root;
  }

  /**
   * Proves that registry and HSM token belong to the same deployment: the HSM holds the key of the
   * registry's root certificate. Anything that deletes HSM keys the registry does not know must ask
   * this first, or a wrong registry would make a production token look full of strays.
   *
   * @throws KeytoolException refused when the registry has no root; integrity when the HSM does not
   *     hold its key
   */
  public static RootCa requirePaired(KeyRegistryDao dao, HsmToken hsm)
      throws KeytoolException, HsmException {
    RegisteredKey row =
        dao.findActive(KeyPurpose.ROOT)
            .orElseThrow(
                () ->
                    KeytoolException.refused("no root in the registry: run 'keytool init' first"));
    X509Certificate certificate = PublishedKeys.certificates(row).get(0);
    HsmKey key;
    try {
      key = hsm.key(row.hsmLabel());
    } catch (HsmKeyException e) {
      if (e.reason() != HsmKeyException.Reason.KEY_ABSENT) {
        throw e;
      }
      throw KeytoolException.integrity(
          "the registry's root "
              + row.kid()
              + " has no key labelled '"
              + row.hsmLabel()
              + "' on HSM token '"
              + hsm.settings().tokenLabel()
              + "' (wrong token for this registry?)");
    }
    if (!samePublicKey(key.publicKey(), certificate.getPublicKey())) {
      throw KeytoolException.integrity(
          "the HSM key labelled '"
              + row.hsmLabel()
              + "' is not the key of the registry's root certificate "
              + row.kid()
              + " (wrong token or wrong registry?)");
    }
    return new RootCa(row, certificate, key, hsm);
  }

  public String kid() {
    return row.kid();
  }

  public Instant notAfter() {
    return row.notAfter();
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A certifier for one new signing key, to hand to {@link HsmToken#generateKeyPair}. */
  public SigningKeyCertifier certifier(
      String kid,
      KeyPurpose purpose,
      SigningAlgorithm algorithm,
      Instant notBefore,
      Instant notAfter) {
    return new SigningKeyCertifier(
        kid,
        purpose,
        algorithm,
        certificate,
        key.privateKey(),
        hsm.provider(),
        notBefore,
        notAfter);
  }

  static boolean samePublicKey(PublicKey a, PublicKey b) {
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }
}
