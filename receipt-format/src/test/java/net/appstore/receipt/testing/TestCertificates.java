package net.appstore.receipt.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes TEST-ONLY certificates the way keytool certifies keys: a self-signed root CA, and
 * end-entity signing certificates it issues. Needs Bouncy Castle ({@code bcpkix-jdk18on}) on the
 * test classpath. With RSA issuers the output is deterministic (PKCS#1 v1.5 signatures), so
 * regenerated vectors keep the same certificates.
 */
public final class TestCertificates {

  private TestCertificates() {}

  /** What the certificate may do: a CA, or an end-entity with or without digitalSignature. */
  public enum Usage {
    CA,
    SIGNING,
    NO_DIGITAL_SIGNATURE
  }

  public static X509Certificate root(
      String commonName, KeyPair keys, Instant notBefore, Instant notAfter, long serial) {
    X500Name name = new X500Name("CN=" + commonName);
    return issue(
        name,
        keys.getPublic(),
        name,
        keys.getPublic(),
        keys.getPrivate(),
        notBefore,
        notAfter,
        serial,
        Usage.CA);
  }

  public static X509Certificate issue(
      String commonName,
      PublicKey subjectKey,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter,
      long serial,
      Usage usage) {
    return issue(
        new X500Name("CN=" + commonName),
        subjectKey,
        X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
        issuer.getPublicKey(),
        issuerKey,
        notBefore,
        notAfter,
        serial,
        usage);
  }

  private static X509Certificate issue(
      X500Name subject,
      PublicKey subjectKey,
      X500Name issuer,
      PublicKey issuerPublicKey,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter,
      long serial,
      Usage usage) {
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  issuer,
                  BigInteger.valueOf(serial),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  subjectKey)
              .addExtension(
                  Extension.basicConstraints, true, new BasicConstraints(usage == Usage.CA))
              .addExtension(Extension.keyUsage, true, keyUsage(usage))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(subjectKey))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(issuerPublicKey));
      String algorithm =
          issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  private static KeyUsage keyUsage(Usage usage) {
    return switch (usage) {
      case CA -> new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
      case SIGNING -> new KeyUsage(KeyUsage.digitalSignature);
      case NO_DIGITAL_SIGNATURE -> new KeyUsage(KeyUsage.keyEncipherment);
    };
  }
}
