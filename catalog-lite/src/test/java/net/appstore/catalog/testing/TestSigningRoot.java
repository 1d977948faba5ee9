package net.appstore.catalog.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.appstore.receipt.testing.Pem;
import net.appstore.receipt.testing.TestCertificates;

/**
 * A TEST-ONLY root CA for the software blocklist keys, playing keytool's part: certifies a key for
 * 2020-2040, so tests on a fixed clock (2025) see a valid chain. {@link #shared()} is the root the
 * catalog's tests pin; {@link #create(String)} makes a stranger whose keys must be refused.
 * Thread-safe.
 */
public final class TestSigningRoot {

  private static final Instant NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2040-01-01T00:00:00Z");
  private static final TestSigningRoot SHARED = create("Catalog test blocklist root");

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final AtomicLong serials = new AtomicLong(2);

  private TestSigningRoot(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  public static TestSigningRoot shared() {
    return SHARED;
  }

  public static TestSigningRoot create(String commonName) {
    KeyPair keys = rsaKeyPair();
    return new TestSigningRoot(
        keys, TestCertificates.root(commonName, keys, NOT_BEFORE, NOT_AFTER, 1));
  }

  public static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The chain {leaf, root} for a signing key, as keytool would publish it in {@code x5c}. */
  public List<X509Certificate> certify(PublicKey key, String label) {
    X509Certificate leaf =
        TestCertificates.issue(
            label,
            key,
            certificate,
            keys.getPrivate(),
            NOT_BEFORE,
            NOT_AFTER,
            serials.getAndIncrement(),
            TestCertificates.Usage.SIGNING);
    return List.of(leaf, certificate);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The root as PEM text, for {@code blocklist.pinnedRoot}. */
  public String pem() {
    return Pem.certificate(certificate);
  }
}
