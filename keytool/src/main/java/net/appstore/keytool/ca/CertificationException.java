package net.appstore.keytool.ca;

import java.security.GeneralSecurityException;

/**
 * The root could not issue, or refused to hand out, a certificate for a key just generated in the
 * HSM. hsm-config then destroys the generated key; keytool reports exit code 6 (integrity).
 */
public final class CertificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public CertificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
