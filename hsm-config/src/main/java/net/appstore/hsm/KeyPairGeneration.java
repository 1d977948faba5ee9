package net.appstore.hsm;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import net.appstore.hsm.HsmKeyException.Reason;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * One key generation: generate in the HSM, certify, store the chain under the label; on failure
 * destroy what was generated.
 *
 * <p>Each generation configures a provider of its own, whose generate template names the new
 * objects (see {@link SunPkcs11Config#forKeyGeneration}). SunPKCS11 stores a certificate chain only
 * for keys of its own provider instance, so the chain is stored through that provider's key store
 * too; it needs no PIN because the process is already logged in. Such providers are not released
 * (SunPKCS11 has no close), which is fine for the rare generations keytool performs.
 *
 * <p>Not thread-safe; {@link HsmToken} serialises generations.
 */
final class KeyPairGeneration {

  private final HsmToken token;
  private final Path library;
  private final long slot;
  private final TokenObjects objects;

  KeyPairGeneration(HsmToken token, Path library, long slot, TokenObjects objects) {
    this.token = token;
    this.library = library;
    this.slot = slot;
    this.objects = objects;
  }

  void generate(String label, HsmKeyType type, KeyCertifier certifier) throws HsmException {
    String what = "generate " + type + " key '" + label + "' on " + tokenName();
    try {
      if (objects.anyObjectNamed(label)) {
        throw new HsmKeyException(
            Reason.LABEL_IN_USE,
            "an object labelled '" + label + "' exists on " + tokenName(),
            null);
      }
    } catch (PKCS11Exception e) {
      throw token.failure(what, e);
    }
    Provider generator;
    KeyPair pair;
    try {
      generator =
          Security.getProvider("SunPKCS11")
              .configure(
                  SunPkcs11Config.forKeyGeneration(
                      token.settings().tokenLabel(), library, slot, label));
      KeyPairGenerator keyPairGenerator =
          KeyPairGenerator.getInstance(type.jcaAlgorithm(), generator);
      keyPairGenerator.initialize(type.generationSpec());
      pair = keyPairGenerator.generateKeyPair();
    } catch (GeneralSecurityException | ProviderException e) {
      throw token.failure(what, e);
    }
    try {
      X509Certificate[] chain = certifier.certify(softwareCopy(pair.getPublic(), type), label);
      requireLeafCertifies(chain, pair.getPublic(), label);
      KeyStore store = KeyStore.getInstance("PKCS11", generator);
      store.load(null, null);
      store.setKeyEntry(label, pair.getPrivate(), null, chain);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      discard(label, e);
      if (e instanceof RuntimeException runtime && !(e instanceof ProviderException)) {
        throw runtime;
      }
      throw token.failure(what, e);
    } catch (HsmKeyException e) {
      discard(label, e);
      throw e;
    }
  }

  /** A software public key, so the certifier's own provider never has to handle a P11 key. */
  private static PublicKey softwareCopy(PublicKey inHsm, HsmKeyType type)
      throws GeneralSecurityException {
    return KeyFactory.getInstance(type.jcaAlgorithm(), type.softwareProvider())
        .generatePublic(new X509EncodedKeySpec(inHsm.getEncoded()));
  }

  private static void requireLeafCertifies(
      X509Certificate[] chain, PublicKey publicKey, String label) throws HsmKeyException {
    if (chain == null
        || chain.length == 0
        || !Arrays.equals(chain[0].getPublicKey().getEncoded(), publicKey.getEncoded())) {
      throw new HsmKeyException(
          Reason.KEY_UNUSABLE,
          "the certifier's chain for '" + label + "' does not certify the generated key",
          null);
    }
  }

  private void discard(String label, Exception failure) {
    try {
      objects.destroyAll(label);
    } catch (PKCS11Exception e) {
      failure.addSuppressed(e);
    }
  }

  private String tokenName() {
    return "token '" + token.settings().tokenLabel() + "'";
  }
}
