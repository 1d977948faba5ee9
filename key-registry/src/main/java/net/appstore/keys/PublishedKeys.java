package net.appstore.keys;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;

/**
 * Turns registry rows into the key set verifiers fetch: what the signer serves at {@code
 * /.well-known/jwks.json} and {@code keytool export-jwks} writes, so both publish the same bytes.
 * The public key is taken from the key's own certificate, the thing verifiers trust. Stateless,
 * thread-safe.
 */
public final class PublishedKeys {

  private PublishedKeys() {}

  /** The JWKS of the keys in a published state (PUBLISHED, ACTIVE, RETIRING); others skipped. */
  public static PublishedKeySet of(List<RegisteredKey> keys) {
    List<PublishedKey> published = new ArrayList<>();
    for (RegisteredKey key : keys) {
      if (key.purpose() != KeyPurpose.ROOT && key.state().isPublished()) {
        published.add(toPublishedKey(key));
      }
    }
    return new PublishedKeySet(published);
  }

  /** One registry key as a published key (any state; the caller decides whether to publish). */
  public static PublishedKey toPublishedKey(RegisteredKey key) {
    List<X509Certificate> chain = certificates(key);
    SigningAlgorithm algorithm =
        SigningAlgorithm.fromJwsName(key.alg())
            .orElseThrow(
                () -> new IllegalStateException("key " + key.kid() + " has alg " + key.alg()));
    return new PublishedKey(key.kid(), algorithm, chain.get(0).getPublicKey(), chain);
  }

  /** The key's certificate chain, its own certificate first. */
  public static List<X509Certificate> certificates(RegisteredKey key) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> chain = new ArrayList<>();
      for (String der : key.certificateChain()) {
        chain.add(
            (X509Certificate)
                factory.generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(der))));
      }
      if (chain.isEmpty()) {
        throw new IllegalStateException("key " + key.kid() + " has no certificate chain");
      }
      return chain;
    } catch (CertificateException e) {
      throw new IllegalStateException("key " + key.kid() + " has an unreadable certificate", e);
    }
  }
}
