package net.appstore.keytool.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.appstore.hsm.KeyCertifier;
import net.appstore.keys.KeyPurpose;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.UntrustedKeyException;

/**
 * Certifies one signing key generated in the HSM with the root (whose key signs in the HSM too),
 * then checks its own output exactly as verifiers will: {@link CertificateChainValidator} with the
 * root pinned, at the start of the validity window. A certificate verifiers would refuse is never
 * handed out; hsm-config then destroys the generated key.
 *
 * <p>Used once, on the generating thread; not thread-safe.
 */
public final class SigningKeyCertifier implements KeyCertifier {

  private final String kid;
  private final KeyPurpose purpose;
  private final SigningAlgorithm algorithm;
  private final X509Certificate root;
  private final PrivateKey rootKey;
  private final Provider hsm;
  private final Instant notBefore;
  private final Instant notAfter;
  private List<X509Certificate> issued;

  SigningKeyCertifier(
      String kid,
      KeyPurpose purpose,
      SigningAlgorithm algorithm,
      X509Certificate root,
      PrivateKey rootKey,
      Provider hsm,
      Instant notBefore,
      Instant notAfter) {
    this.kid = kid;
    this.purpose = purpose;
    this.algorithm = algorithm;
    this.root = root;
    this.rootKey = rootKey;
    this.hsm = hsm;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
  }

  @Override
  public X509Certificate[] certify(PublicKey publicKey, String label)
      throws GeneralSecurityException {
    if (!kid.equals(label)) {
      throw new CertificationException(
          "asked to certify label '" + label + "' but prepared for '" + kid + "'", null);
    }
    X509Certificate leaf =
        Certificates.signingKey(
            publicKey, kid, purpose.wireName(), root, rootKey, hsm, notBefore, notAfter);
    List<X509Certificate> chain = List.of(leaf, root);
    try {
      new CertificateChainValidator(root)
          .validate(new PublishedKey(kid, algorithm, leaf.getPublicKey(), chain), notBefore);
    } catch (UntrustedKeyException | IllegalArgumentException e) {
      throw new CertificationException(
          "the certificate issued for " + kid + " would not pass verifiers' checks: " + e, e);
    }
    issued = chain;
    return chain.toArray(X509Certificate[]::new);
  }

  /** The chain handed out (leaf, root), once {@link #certify} succeeded. */
  public Optional<List<X509Certificate>> issuedChain() {
    return Optional.ofNullable(issued);
  }
}
