package net.appstore.keytool.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import net.appstore.keytool.KeytoolException;

/** PEM text, certificate fingerprints and atomic file output for the export commands. */
final class Pem {

  private Pem() {}

  static String certificate(X509Certificate certificate) throws KeytoolException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(certificate))
        + "\n-----END CERTIFICATE-----\n";
  }

  /** SHA-256 over the DER certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
  static String sha256Fingerprint(X509Certificate certificate) throws KeytoolException {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der(certificate));
      return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Writes {@code text} to {@code file} through a temporary file in the same directory and an
   * atomic rename, so a reader (a CDN sync, a verifier) never sees half a file.
   */
  static void writeAtomically(Path file, String text) throws KeytoolException {
    Path absolute = file.toAbsolutePath();
    Path temporary = null;
    try {
      temporary = Files.createTempFile(absolute.getParent(), ".keytool-", ".tmp");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw KeytoolException.usage("cannot write " + file + ": " + e.getMessage());
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // only left behind if the move failed; the message above says why
        }
      }
    }
  }

  private static byte[] der(X509Certificate certificate) throws KeytoolException {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw KeytoolException.integrity("cannot encode certificate: " + e.getMessage());
    }
  }
}
