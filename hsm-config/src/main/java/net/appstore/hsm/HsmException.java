package net.appstore.hsm;

/**
 * A failure to use the HSM, always one of two kinds that callers must treat differently: {@link
 * HsmUnavailableException} (temporary: answer 503 and retry) or {@link HsmKeyException} (permanent:
 * a person must fix a key, a label or the PIN).
 *
 * <p>Messages name the token, label and PKCS#11 return code; they never contain a PIN or key
 * material.
 */
public abstract sealed class HsmException extends Exception
    permits HsmUnavailableException, HsmKeyException {

  HsmException(String message, Throwable cause) {
    super(message, cause);
  }
}
