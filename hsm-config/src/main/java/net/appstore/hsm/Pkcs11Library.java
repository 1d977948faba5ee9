package net.appstore.hsm;

import java.io.IOException;
import java.nio.file.Path;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Constants;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Direct PKCS#11 calls for what SunPKCS11 does not offer: finding a slot by token label, probing
 * whether a token still answers, and object-level work in {@link TokenObjects}.
 *
 * <p>The JDK caches one wrapper per library path and SunPKCS11 reuses it, so this shares the
 * library's single initialisation with every SunPKCS11 provider on the same path. Thread-safe: the
 * library is initialised with OS locking, as SunPKCS11 does.
 */
final class Pkcs11Library {

  private static final String WRAPPER_PACKAGE = "sun.security.pkcs11.wrapper";
  private static final long CKR_CANT_LOCK = 0x1A;

  private final Path path;
  private final PKCS11 api;

  private Pkcs11Library(Path path, PKCS11 api) {
    this.path = path;
    this.api = api;
  }

  /** Loads and initialises the library, or returns the JVM's already initialised instance. */
  static Pkcs11Library load(Path library) throws HsmUnavailableException {
    requireWrapperAccess();
    try {
      return new Pkcs11Library(library, initialise(library.toString()));
    } catch (IOException | PKCS11Exception e) {
      throw new HsmUnavailableException(
          "cannot load or initialise PKCS#11 library " + library + hint(library), e);
    }
  }

  private static PKCS11 initialise(String library) throws IOException, PKCS11Exception {
    CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
    // Without OS locking SoftHSM2 assumes a single-threaded caller; SunPKCS11 asks for the same.
    args.flags = PKCS11Constants.CKF_OS_LOCKING_OK;
    try {
      return PKCS11.getInstance(library, "C_GetFunctionList", args, false);
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != CKR_CANT_LOCK) {
        throw e;
      }
      args.flags = 0;
      return PKCS11.getInstance(library, "C_GetFunctionList", args, false);
    }
  }

  /**
   * Fails early and clearly when the JVM was started without the flag this module needs, instead of
   * an IllegalAccessError at the first HSM call.
   */
  static void requireWrapperAccess() {
    Module cryptoki =
        ModuleLayer.boot()
            .findModule("jdk.crypto.cryptoki")
            .orElseThrow(() -> new IllegalStateException("this JVM has no jdk.crypto.cryptoki"));
    if (!cryptoki.isExported(WRAPPER_PACKAGE, Pkcs11Library.class.getModule())) {
      throw new IllegalStateException(
          "start the JVM with --add-exports jdk.crypto.cryptoki/"
              + WRAPPER_PACKAGE
              + "=ALL-UNNAMED (hsm-config resolves token labels through the PKCS#11 wrapper)");
    }
  }

  Path path() {
    return path;
  }

  PKCS11 api() {
    return api;
  }

  /**
   * The slot holding the token with this label. Slots whose token does not answer are skipped: one
   * broken token must not hide the others.
   */
  long findSlot(String tokenLabel) throws HsmUnavailableException {
    long[] slots;
    try {
      slots = api.C_GetSlotList(true);
    } catch (PKCS11Exception e) {
      throw new HsmUnavailableException("cannot list slots of " + path, e);
    }
    for (long slot : slots) {
      try {
        if (tokenLabel.equals(label(api.C_GetTokenInfo(slot)))) {
          return slot;
        }
      } catch (PKCS11Exception e) {
        continue; // a token that went away answers CKR_GENERAL_ERROR here; look further
      }
    }
    throw new HsmUnavailableException(
        "no token labelled '"
            + tokenLabel
            + "' in "
            + path
            + hint(path)
            + "; a token created after this process initialised the library is not seen before a"
            + " restart",
        null);
  }

  /**
   * Succeeds only if the slot still holds a token with this label that answers. After a token went
   * away SunPKCS11 shows an empty key store instead of an error, so an absent alias is trusted as
   * "key absent" only after this probe.
   */
  void requireToken(long slot, String tokenLabel) throws HsmUnavailableException {
    try {
      String found = label(api.C_GetTokenInfo(slot));
      if (!tokenLabel.equals(found)) {
        throw new HsmUnavailableException(
            "slot " + slot + " now holds token '" + found + "', not '" + tokenLabel + "'", null);
      }
    } catch (PKCS11Exception e) {
      throw new HsmUnavailableException(
          "token '"
              + tokenLabel
              + "' in slot "
              + slot
              + " does not answer; SunPKCS11 does not recover a lost token in-process: restart"
              + " the process",
          e);
    }
  }

  /** Runs {@code work} in a read-write session of its own, closed afterwards. */
  <T> T inSession(long slot, SessionWork<T> work) throws PKCS11Exception {
    long session =
        api.C_OpenSession(
            slot, PKCS11Constants.CKF_SERIAL_SESSION | PKCS11Constants.CKF_RW_SESSION, null, null);
    T result;
    try {
      result = work.run(session);
    } catch (PKCS11Exception e) {
      // A lost token also fails the close; keep the first error, which says what went wrong.
      try {
        api.C_CloseSession(session);
      } catch (PKCS11Exception closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    api.C_CloseSession(session);
    return result;
  }

  /** Work inside one PKCS#11 session. */
  @FunctionalInterface
  interface SessionWork<T> {
    T run(long session) throws PKCS11Exception;
  }

  private static String label(CK_TOKEN_INFO info) {
    return new String(info.label).stripTrailing();
  }

  /** SoftHSM2 finds its tokens through SOFTHSM2_CONF, the most common cause of "no token". */
  private static String hint(Path library) {
    if (!library.getFileName().toString().contains("softhsm")) {
      return "";
    }
    String conf = System.getenv("SOFTHSM2_CONF");
    return " (SoftHSM2 reads SOFTHSM2_CONF="
        + (conf == null ? "<unset: /etc/softhsm/softhsm2.conf>" : conf)
        + ")";
  }
}
