package net.appstore.keytool.ca;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Signature;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * A Bouncy Castle {@link ContentSigner} whose signature is made by a JCA {@link Signature} of the
 * HSM's provider, so the root's private key never leaves the HSM. SunPKCS11 returns DER-encoded
 * ECDSA signatures, which is what X.509 wants. One instance per certificate; not thread-safe.
 */
final class HsmContentSigner implements ContentSigner {

  private final AlgorithmIdentifier algorithm;
  private final PrivateKey key;
  private final Provider provider;
  private final String jcaAlgorithm;
  private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(1024);

  /**
   * @param jcaAlgorithm {@code SHA256withECDSA} or {@code SHA256withRSA}
   */
  HsmContentSigner(PrivateKey key, Provider provider, String jcaAlgorithm) {
    this.algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(jcaAlgorithm);
    this.key = key;
    this.provider = provider;
    this.jcaAlgorithm = jcaAlgorithm;
  }

  /** The X.509 signature algorithm for a root key of this JCA key algorithm. */
  static String signatureAlgorithmFor(PrivateKey rootKey) {
    return switch (rootKey.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default ->
          throw new IllegalArgumentException("unsupported root key " + rootKey.getAlgorithm());
    };
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return algorithm;
  }

  @Override
  public OutputStream getOutputStream() {
    return tbs;
  }

  @Override
  public byte[] getSignature() {
    try {
      // A new Signature per call, with the provider named: never a global provider lookup.
      Signature signature = Signature.getInstance(jcaAlgorithm, provider);
      signature.initSign(key);
      signature.update(tbs.toByteArray());
      return signature.sign();
    } catch (GeneralSecurityException | ProviderException e) {
      throw new RuntimeOperatorException("the HSM could not sign the certificate: " + e, e);
    }
  }
}
