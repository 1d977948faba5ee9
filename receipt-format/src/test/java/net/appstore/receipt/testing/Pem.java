package net.appstore.receipt.testing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads and writes the PEM files of the vectors. A TEST-ONLY key file holds a {@code PRIVATE KEY}
 * (PKCS#8) and a {@code PUBLIC KEY} (SPKI) block after a warning line, because the JDK cannot
 * derive an EC public key from its private key.
 */
public final class Pem {

  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String testOnlyKeyPair(KeyPair keys) {
    return "# TEST-ONLY KEY. Committed to the repository on purpose, for the known-answer vectors.\n"
        + "# Anything it signs proves nothing. Never configure it outside tests.\n"
        + block("PRIVATE KEY", keys.getPrivate().getEncoded())
        + block("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  /** Reads a key pair written by {@link #testOnlyKeyPair}; {@code keyAlgorithm} is RSA or EC. */
  public static KeyPair readKeyPair(String pem, String keyAlgorithm) {
    try {
      KeyFactory factory = KeyFactory.getInstance(keyAlgorithm);
      return new KeyPair(
          factory.generatePublic(new X509EncodedKeySpec(blockBytes(pem, "PUBLIC KEY"))),
          factory.generatePrivate(new PKCS8EncodedKeySpec(blockBytes(pem, "PRIVATE KEY"))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("not a " + keyAlgorithm + " key pair", e);
    }
  }

  private static byte[] blockBytes(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END " + label + "-----");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("no " + label + " block");
    }
    return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
  }

  private static String block(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
