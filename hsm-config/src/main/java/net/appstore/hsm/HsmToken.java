package net.appstore.hsm;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import net.appstore.hsm.HsmKeyException.Reason;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * A logged-in PKCS#11 token reached through its own SunPKCS11 provider: key lookup by label, key
 * generation and deletion, and the provider to sign with.
 *
 * <p>Pass {@link #provider()} explicitly to every JCA or Nimbus call ({@code
 * signer.getJCAContext().setProvider(...)}); the provider is deliberately not installed in {@link
 * Security}, so software verification never goes to the HSM by accident.
 *
 * <p>Every lookup reads the token afresh, so keys generated meanwhile by another process (keytool)
 * are found; lookups take milliseconds, so callers on a hot path cache the {@link HsmKey} and look
 * it up again after an {@link HsmUnavailableException}.
 *
 * <p>Thread-safe. Key store work (lookup, generation, deletion) is serialised on one lock;
 * signatures through {@link #provider()} run concurrently.
 */
public final class HsmToken {

  private static final System.Logger LOG = System.getLogger(HsmToken.class.getName());

  /** Labels are key store aliases and appear in logs and CLI output: keep them plain. */
  private static final Pattern KEY_LABEL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final HsmSettings settings;
  private final Pkcs11Library library;
  private final long slot;
  private final Provider provider;
  private final KeyStore keyStore;
  private final TokenObjects objects;
  private final Object lock = new Object();

  private HsmToken(
      HsmSettings settings, Pkcs11Library library, long slot, Provider provider, KeyStore store) {
    this.settings = settings;
    this.library = library;
    this.slot = slot;
    this.provider = provider;
    this.keyStore = store;
    this.objects = new TokenObjects(library, slot);
  }

  /**
   * Loads the library (once per JVM), finds the token's slot by label and logs in.
   *
   * <p>The PIN is used for the login and not kept; the caller should clear the array afterwards.
   * PKCS#11 login belongs to the whole process: once any provider in this JVM has logged in to the
   * token, a later open is not checked against the PIN again.
   *
   * @throws HsmUnavailableException if the library cannot be loaded or no token with the label
   *     answers (note that the library only sees tokens that existed when this JVM initialised it)
   * @throws HsmKeyException with {@link Reason#WRONG_PIN} or {@link Reason#PIN_LOCKED}
   * @throws IllegalStateException if the JVM lacks the {@code --add-exports} flag (see README)
   */
  public static HsmToken open(HsmSettings settings, char[] pin) throws HsmException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(pin, "pin");
    String token = "token '" + settings.tokenLabel() + "'";
    if (pin.length == 0) {
      throw new HsmKeyException(Reason.WRONG_PIN, "empty user PIN for " + token, null);
    }
    Pkcs11Library library = Pkcs11Library.load(settings.library());
    long slot = library.findSlot(settings.tokenLabel());
    Provider template = Security.getProvider("SunPKCS11");
    if (template == null) {
      throw new IllegalStateException("this JVM has no SunPKCS11 provider");
    }
    try {
      Provider provider =
          template.configure(SunPkcs11Config.forSlot(settings.tokenLabel(), library.path(), slot));
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      LOG.log(Level.INFO, "logged in to {0} in slot {1}", token, Long.toString(slot));
      return new HsmToken(settings, library, slot, provider, store);
    } catch (GeneralSecurityException | IOException | ProviderException e) {
      throw Pkcs11Failures.classify("login to " + token + " in slot " + slot, e);
    }
  }

  /** The SunPKCS11 provider bound to this token; sign with it, never install it globally. */
  public Provider provider() {
    return provider;
  }

  /** The settings this token was opened with. */
  public HsmSettings settings() {
    return settings;
  }

  /** Labels of all private keys that have a certificate, sorted. */
  public SortedSet<String> labels() throws HsmException {
    synchronized (lock) {
      reload();
      try {
        SortedSet<String> labels = new TreeSet<>();
        for (String alias : Collections.list(keyStore.aliases())) {
          if (keyStore.isKeyEntry(alias)) {
            labels.add(alias);
          }
        }
        return labels;
      } catch (GeneralSecurityException | ProviderException e) {
        throw failure("list keys on " + describe(), e);
      }
    }
  }

  /**
   * The key with this label.
   *
   * @throws HsmKeyException {@link Reason#KEY_ABSENT} if the token answers but has no such key,
   *     {@link Reason#WRONG_KEY_TYPE} if it is neither RSA-2048 nor EC P-256, {@link
   *     Reason#KEY_UNUSABLE} if it has no usable certificate
   * @throws HsmUnavailableException if the token does not answer
   */
  public HsmKey key(String label) throws HsmException {
    requireKeyLabel(label);
    synchronized (lock) {
      reload();
      try {
        if (!keyStore.isKeyEntry(label)) {
          throw absent(label);
        }
        Key key = keyStore.getKey(label, null);
        List<X509Certificate> chain = x509(label, keyStore.getCertificateChain(label));
        if (!(key instanceof PrivateKey privateKey)) {
          throw new HsmKeyException(
              Reason.KEY_UNUSABLE, where(label) + " is not a private key", null);
        }
        HsmKeyType type =
            HsmKeyType.of(chain.get(0).getPublicKey())
                .filter(t -> t.jcaAlgorithm().equals(privateKey.getAlgorithm()))
                .orElseThrow(
                    () ->
                        new HsmKeyException(
                            Reason.WRONG_KEY_TYPE,
                            where(label) + " is neither RSA-2048 nor EC P-256",
                            null));
        return new HsmKey(label, type, privateKey, chain);
      } catch (GeneralSecurityException | ProviderException e) {
        throw failure("look up " + where(label), e);
      }
    }
  }

  /**
   * The key with this label, which must be of {@code expected} type.
   *
   * @throws HsmKeyException {@link Reason#WRONG_KEY_TYPE} if it is of another type, and as {@link
   *     #key(String)}
   */
  public HsmKey key(String label, HsmKeyType expected) throws HsmException {
    HsmKey key = key(label);
    if (key.type() != expected) {
      throw new HsmKeyException(
          Reason.WRONG_KEY_TYPE, where(label) + " is " + key.type() + ", not " + expected, null);
    }
    return key;
  }

  /**
   * Generates a key pair inside the HSM (private key sensitive, not extractable, never leaves the
   * token), has {@code certifier} certify its public key and stores the chain under {@code label}.
   * If certification or storing fails, the generated objects are destroyed.
   *
   * @throws HsmKeyException {@link Reason#LABEL_IN_USE} if any object already carries the label
   */
  public HsmKey generateKeyPair(String label, HsmKeyType type, KeyCertifier certifier)
      throws HsmException {
    requireKeyLabel(label);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(certifier, "certifier");
    synchronized (lock) {
      new KeyPairGeneration(this, library.path(), slot, objects).generate(label, type, certifier);
      LOG.log(Level.INFO, "generated {0} {1}", type, where(label));
      return key(label);
    }
  }

  /**
   * Destroys every object of the key with this label (private key, public key, certificate). CA
   * certificates of its chain stay: other keys may share them.
   *
   * @throws HsmKeyException {@link Reason#KEY_ABSENT} if the token answers but has no such objects
   */
  public void deleteKey(String label) throws HsmException {
    requireKeyLabel(label);
    synchronized (lock) {
      int destroyed;
      try {
        destroyed = objects.destroyAll(label);
      } catch (PKCS11Exception e) {
        throw failure("delete " + where(label), e);
      }
      if (destroyed == 0) {
        throw absent(label);
      }
      LOG.log(Level.INFO, "deleted {0} objects of {1}", destroyed, where(label));
    }
  }

  /** The private key's protection attributes as the token reports them. */
  public KeyAttributes keyAttributes(String label) throws HsmException {
    requireKeyLabel(label);
    Optional<KeyAttributes> attributes;
    try {
      attributes = objects.privateKeyAttributes(label);
    } catch (PKCS11Exception e) {
      throw failure("read attributes of " + where(label), e);
    }
    if (attributes.isEmpty()) {
      throw absent(label);
    }
    return attributes.get();
  }

  @Override
  public String toString() {
    return "HsmToken[" + describe() + "]";
  }

  /**
   * Classifies a failure of an operation on this token. A permanent-looking failure on a token that
   * no longer answers is reported as unavailable: the key may be fine once the HSM is back.
   */
  HsmException failure(String attempt, Throwable cause) {
    HsmException classified = Pkcs11Failures.classify(attempt, cause);
    if (classified instanceof HsmKeyException) {
      try {
        library.requireToken(slot, settings.tokenLabel());
      } catch (HsmUnavailableException gone) {
        gone.addSuppressed(classified);
        return gone;
      }
    }
    return classified;
  }

  /**
   * Re-reads the aliases: SunPKCS11 maps them once per load. A null PIN works because the process
   * is logged in already; if the login was lost this fails as unavailable.
   */
  private void reload() throws HsmException {
    try {
      keyStore.load(null, null);
    } catch (GeneralSecurityException | IOException | ProviderException e) {
      throw failure("re-read keys of " + describe(), e);
    }
  }

  /** An absent alias proves an absent key only while the token answers (see Pkcs11Library). */
  private HsmKeyException absent(String label) throws HsmUnavailableException {
    library.requireToken(slot, settings.tokenLabel());
    return new HsmKeyException(Reason.KEY_ABSENT, "no " + where(label), null);
  }

  private List<X509Certificate> x509(String label, Certificate[] chain) throws HsmKeyException {
    if (chain == null || chain.length == 0) {
      throw new HsmKeyException(Reason.KEY_UNUSABLE, where(label) + " has no certificate", null);
    }
    List<X509Certificate> certificates = new ArrayList<>(chain.length);
    for (Certificate certificate : chain) {
      if (!(certificate instanceof X509Certificate x509)) {
        throw new HsmKeyException(
            Reason.KEY_UNUSABLE, where(label) + " has a non-X.509 certificate", null);
      }
      certificates.add(x509);
    }
    return certificates;
  }

  private String where(String label) {
    return "key '" + label + "' on " + describe();
  }

  private String describe() {
    return "token '" + settings.tokenLabel() + "' (slot " + slot + ")";
  }

  static void requireKeyLabel(String label) {
    if (label == null || !KEY_LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException("key label must match " + KEY_LABEL + ": " + label);
    }
  }
}
