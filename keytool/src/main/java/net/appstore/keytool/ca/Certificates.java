package net.appstore.keytool.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate profiles keytool issues, built with Bouncy Castle:
 *
 * <ul>
 *   <li>root: self-signed CA, path length 0 (it certifies signing keys only), keyCertSign and
 *       cRLSign;
 *   <li>signing key: end entity, digitalSignature only, subject {@code CN=<kid>, OU=<purpose>
 *       signing key}, with subject and authority key identifiers;
 *   <li>placeholder: see {@link #placeholder}.
 * </ul>
 *
 * Serial numbers are 127 random bits (RFC 5280: positive, at most 20 octets). Validity is to the
 * second, as X.509 stores it. Stateless, thread-safe.
 */
public final class Certificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /**
   * The root's self-signed certificate, signed in the HSM with the root key.
   *
   * @throws GeneralSecurityException if the HSM cannot sign (classified by the caller)
   */
  public static X509Certificate selfSignedRoot(
      PublicKey rootPublic,
      PrivateKey rootPrivate,
      Provider hsm,
      X500Name subject,
      Instant notBefore,
      Instant notAfter)
      throws GeneralSecurityException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject, serial(), Date.from(notBefore), Date.from(notAfter), subject, rootPublic);
    try {
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(rootPublic));
    } catch (CertIOException e) {
      throw new CertificateException("cannot encode root certificate extensions", e);
    }
    return sign(
        builder,
        new HsmContentSigner(
            rootPrivate, hsm, HsmContentSigner.signatureAlgorithmFor(rootPrivate)));
  }

  /**
   * A signing key's certificate, signed in the HSM by the root.
   *
   * @throws GeneralSecurityException if the HSM cannot sign (classified by the caller)
   */
  public static X509Certificate signingKey(
      PublicKey publicKey,
      String kid,
      String purpose,
      X509Certificate root,
      PrivateKey rootPrivate,
      Provider hsm,
      Instant notBefore,
      Instant notAfter)
      throws GeneralSecurityException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X500Name subject = new X500Name("CN=" + kid + ", OU=" + purpose + " signing key");
    // The issuer name exactly as encoded in the root, so that PKIX chains the names.
    X500Name issuer = new JcaX509CertificateHolder(root).getSubject();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, serial(), Date.from(notBefore), Date.from(notAfter), subject, publicKey);
    try {
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(publicKey))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              extensions.createAuthorityKeyIdentifier(root));
    } catch (CertIOException e) {
      throw new CertificateException("cannot encode signing certificate extensions", e);
    }
    return sign(
        builder,
        new HsmContentSigner(
            rootPrivate, hsm, HsmContentSigner.signatureAlgorithmFor(rootPrivate)));
  }

  /**
   * A throw-away certificate for a root key being generated. SunPKCS11 names an HSM key only
   * through a certificate, and hsm-config asks for one before the private key can be used; the
   * root's real, self-signed certificate can only be made afterwards with that very key. This one
   * is signed by an ephemeral software key that is discarded at once, so nothing can ever chain to
   * it; its subject says what it is. The registry holds the real root certificate.
   */
  public static X509Certificate placeholder(
      PublicKey publicKey, String label, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey ephemeral = generator.generateKeyPair().getPrivate();
    X500Name issuer =
        new X500Name("CN=keytool placeholder issuer, OU=discarded key - never trusted");
    X500Name subject =
        new X500Name(
            "CN=" + label + " placeholder, OU=HSM label holder - not the root certificate");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, serial(), Date.from(notBefore), Date.from(notAfter), subject, publicKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(ephemeral);
      return sign(builder, signer);
    } catch (CertIOException | OperatorCreationException e) {
      throw new CertificateException("cannot build the placeholder certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, ContentSigner signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (RuntimeOperatorException e) {
      // The HSM failed to sign: keep the cause so hsm-config can classify it.
      throw new GeneralSecurityException(e.getMessage(), e.getCause());
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
