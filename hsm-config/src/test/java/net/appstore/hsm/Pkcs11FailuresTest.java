package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.KeyStoreException;
import java.security.ProviderException;
import java.security.SignatureException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/** The classification table, with failures wrapped the way SunPKCS11 wraps them. */
class Pkcs11FailuresTest {

  @ParameterizedTest(name = "0x{0} -> {1}")
  @CsvSource({
    // Temporary: the token or the library is gone or broken (what a vanished token produces).
    "05, UNAVAILABLE", // CKR_GENERAL_ERROR
    "06, UNAVAILABLE", // CKR_FUNCTION_FAILED
    "30, UNAVAILABLE", // CKR_DEVICE_ERROR
    "32, UNAVAILABLE", // CKR_DEVICE_REMOVED
    "82, UNAVAILABLE", // CKR_OBJECT_HANDLE_INVALID
    "60, UNAVAILABLE", // CKR_KEY_HANDLE_INVALID
    "B0, UNAVAILABLE", // CKR_SESSION_CLOSED
    "B3, UNAVAILABLE", // CKR_SESSION_HANDLE_INVALID
    "E0, UNAVAILABLE", // CKR_TOKEN_NOT_PRESENT
    "101, UNAVAILABLE", // CKR_USER_NOT_LOGGED_IN
    "190, UNAVAILABLE", // CKR_CRYPTOKI_NOT_INITIALIZED
    "12345, UNAVAILABLE", // unknown: never blame the key on a guess
    // Permanent: a person must fix the PIN or the key.
    "A0, WRONG_PIN", // CKR_PIN_INCORRECT
    "A1, WRONG_PIN", // CKR_PIN_INVALID
    "A2, WRONG_PIN", // CKR_PIN_LEN_RANGE
    "A3, PIN_LOCKED", // CKR_PIN_EXPIRED
    "A4, PIN_LOCKED", // CKR_PIN_LOCKED
    "63, KEY_UNUSABLE", // CKR_KEY_TYPE_INCONSISTENT
    "68, KEY_UNUSABLE", // CKR_KEY_FUNCTION_NOT_PERMITTED
  })
  void classify_pkcs11ReturnCode_mapsToKind(String hexCode, String expected) {
    long code = Long.parseLong(hexCode, 16);
    Throwable failure =
        new ProviderException("Initialization failed", new PKCS11Exception(code, null));

    assertThat(kind(Pkcs11Failures.classify("sign", failure))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "failed login without code, WRONG_PIN",
    "login impossible without PIN, UNAVAILABLE",
    "invalid key, KEY_UNUSABLE",
    "key store failure without code, UNAVAILABLE",
  })
  void classify_failureWithoutReturnCode_mapsToKind(String failure, String expected) {
    Throwable thrown =
        switch (failure) {
          case "failed login without code" ->
              new IOException("load failed", new FailedLoginException());
          case "login impossible without PIN" ->
              new IOException("load failed", new LoginException("no password provided"));
          case "invalid key" -> new SignatureException(new InvalidKeyException("wrong key"));
          default -> new KeyStoreException("broken");
        };

    assertThat(kind(Pkcs11Failures.classify("use token", thrown))).isEqualTo(expected);
  }

  private static String kind(HsmException classified) {
    return classified instanceof HsmKeyException permanent
        ? permanent.reason().name()
        : "UNAVAILABLE";
  }

  @ParameterizedTest
  @CsvSource({"A0", "05"})
  void classify_anyFailure_keepsCauseAndNamesAttempt(String hexCode) {
    PKCS11Exception cause = new PKCS11Exception(Long.parseLong(hexCode, 16), null);

    HsmException classified = Pkcs11Failures.classify("login to token 't'", cause);

    assertThat(classified).hasCause(cause).hasMessageContaining("login to token 't'");
  }
}
