package net.appstore.hsm;

import java.security.InvalidKeyException;
import java.util.OptionalLong;
import javax.security.auth.login.FailedLoginException;
import net.appstore.hsm.HsmKeyException.Reason;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Sorts failures from SunPKCS11 and the PKCS#11 library into temporary and permanent ones.
 *
 * <p>Rule: only failures a person must fix (PIN, key type, key usage) are permanent; everything
 * else, including return codes we do not know, counts as "HSM unavailable". Guessing "temporary"
 * wrongly costs 503s until the health check alerts; guessing "permanent" wrongly would make the
 * signer call a healthy key broken. A stale object handle ({@code CKR_OBJECT_HANDLE_INVALID}) is
 * temporary because it is what a vanished token leaves behind; a key that is really gone shows up
 * as absent at the next lookup.
 *
 * <p>Stateless and thread-safe.
 */
final class Pkcs11Failures {

  // The permanent return codes, from the PKCS#11 specification (JDK 17's wrapper names few).
  static final long CKR_KEY_SIZE_RANGE = 0x62;
  static final long CKR_KEY_TYPE_INCONSISTENT = 0x63;
  static final long CKR_KEY_FUNCTION_NOT_PERMITTED = 0x68;
  static final long CKR_MECHANISM_INVALID = 0x70;
  static final long CKR_PIN_INCORRECT = 0xA0;
  static final long CKR_PIN_INVALID = 0xA1;
  static final long CKR_PIN_LEN_RANGE = 0xA2;
  static final long CKR_PIN_EXPIRED = 0xA3;
  static final long CKR_PIN_LOCKED = 0xA4;
  static final long CKR_USER_PIN_NOT_INITIALIZED = 0x102;

  private Pkcs11Failures() {}

  /**
   * Classifies {@code failure}.
   *
   * @param attempt what was attempted, naming token and label, e.g. "sign with 'receipt-1' on token
   *     'prod'"
   */
  static HsmException classify(String attempt, Throwable failure) {
    if (failure instanceof HsmException known) {
      return known;
    }
    String message = attempt + " failed: " + describe(failure);
    OptionalLong code = returnCode(failure);
    if (code.isPresent()) {
      Reason reason = permanentReason(code.getAsLong());
      return reason == null
          ? new HsmUnavailableException(message, failure)
          : new HsmKeyException(reason, message, failure);
    }
    if (has(failure, FailedLoginException.class)) {
      return new HsmKeyException(Reason.WRONG_PIN, message, failure);
    }
    if (has(failure, InvalidKeyException.class)) {
      return new HsmKeyException(Reason.KEY_UNUSABLE, message, failure);
    }
    return new HsmUnavailableException(message, failure);
  }

  /** The PKCS#11 return code anywhere in the cause chain. */
  static OptionalLong returnCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PKCS11Exception p11) {
        return OptionalLong.of(p11.getErrorCode());
      }
    }
    return OptionalLong.empty();
  }

  private static Reason permanentReason(long code) {
    if (code == CKR_PIN_INCORRECT || code == CKR_PIN_INVALID || code == CKR_PIN_LEN_RANGE) {
      return Reason.WRONG_PIN;
    }
    if (code == CKR_PIN_LOCKED || code == CKR_PIN_EXPIRED || code == CKR_USER_PIN_NOT_INITIALIZED) {
      return Reason.PIN_LOCKED;
    }
    if (code == CKR_KEY_TYPE_INCONSISTENT
        || code == CKR_KEY_FUNCTION_NOT_PERMITTED
        || code == CKR_KEY_SIZE_RANGE
        || code == CKR_MECHANISM_INVALID) {
      return Reason.KEY_UNUSABLE;
    }
    return null;
  }

  private static boolean has(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Exception classes and messages down the cause chain; these never contain PINs. */
  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (text.length() > 0) {
        text.append(" <- ");
      }
      text.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }
}
