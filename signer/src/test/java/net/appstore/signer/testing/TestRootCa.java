package net.appstore.signer.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A software root CA standing in for keytool's HSM root in tests: certifies keys generated in the
 * test token, with the certificate profile verifiers require (end entity, digitalSignature).
 * Thread-safe.
 */
public final class TestRootCa {

  private static final X500Name ROOT_NAME = new X500Name("CN=Test receipts root");
  private final AtomicLong serials = new AtomicLong(1);
  private final PrivateKey rootKey;
  private final X509Certificate root;

  private TestRootCa(KeyPair pair) throws GeneralSecurityException {
    this.rootKey = pair.getPrivate();
    Instant now = Instant.now();
    this.root =
        issue(
            ROOT_NAME,
            pair.getPublic(),
            true,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(3650)));
  }

  public static TestRootCa create() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new TestRootCa(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate root() {
    return root;
  }

  /** The chain {leaf, root} certifying {@code publicKey} for the given window. */
  public X509Certificate[] certify(
      PublicKey publicKey, String label, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    return new X509Certificate[] {
      issue(new X500Name("CN=" + label), publicKey, false, notBefore, notAfter), root
    };
  }

  private X509Certificate issue(
      X500Name subject, PublicKey publicKey, boolean ca, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ROOT_NAME,
            BigInteger.valueOf(serials.getAndIncrement()),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            publicKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(rootKey)));
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot issue test certificate", e);
    }
  }
}
