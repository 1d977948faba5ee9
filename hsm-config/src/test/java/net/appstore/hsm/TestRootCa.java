package net.appstore.hsm;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A software root CA for tests, standing in for keytool's HSM root: certifies keys generated in the
 * HSM so SunPKCS11 can store them under a label. Thread-safe.
 */
final class TestRootCa implements KeyCertifier {

  private static final X500Name ROOT_NAME = new X500Name("CN=Test receipt root");
  private final AtomicLong serials = new AtomicLong(1);
  private final PrivateKey rootKey;
  private final X509Certificate rootCertificate;

  private TestRootCa(KeyPair root) throws GeneralSecurityException {
    this.rootKey = root.getPrivate();
    this.rootCertificate = issue(ROOT_NAME, root.getPublic(), true);
  }

  static TestRootCa create() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return new TestRootCa(generator.generateKeyPair());
  }

  X509Certificate rootCertificate() {
    return rootCertificate;
  }

  @Override
  public X509Certificate[] certify(PublicKey publicKey, String label)
      throws GeneralSecurityException {
    return new X509Certificate[] {
      issue(new X500Name("CN=" + label), publicKey, false), rootCertificate
    };
  }

  private X509Certificate issue(X500Name subject, PublicKey publicKey, boolean ca)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ROOT_NAME,
            BigInteger.valueOf(serials.getAndIncrement()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(30))),
            subject,
            publicKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey)));
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot issue test certificate", e);
    }
  }
}
