package net.appstore.hsm;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * Issues the certificate chain for a key pair just generated in the HSM. SunPKCS11 attaches a label
 * to a private key only together with a certificate chain, so key generation needs one; keytool
 * plugs in its root CA (Bouncy Castle) here.
 *
 * <p>Implementations are called on the generating thread while the token is locked for the
 * generation; they may use the same HSM (e.g. the root key) through the same {@link HsmToken}.
 */
@FunctionalInterface
public interface KeyCertifier {

  /**
   * Certifies {@code publicKey}.
   *
   * @param publicKey the new key's public half (a software key; the private half stays in the HSM)
   * @param label the label the key will carry
   * @return the chain, leaf first; the leaf must certify exactly {@code publicKey}
   * @throws GeneralSecurityException if no certificate can be issued; the generated key is then
   *     destroyed
   */
  X509Certificate[] certify(PublicKey publicKey, String label) throws GeneralSecurityException;
}
