package net.appstore.hsm;

/**
 * The HSM cannot be used right now: token not present or removed, device error, invalid session or
 * handle, library not initialised, login impossible because the token vanished, or an operation
 * that did not finish in time.
 *
 * <p>Callers answer "unavailable" (HTTP 503 with {@code Retry-After}) and never charge or promise
 * anything on this basis. Keys looked up earlier may hold stale handles: look them up again.
 *
 * <p>Recovery: SunPKCS11 never recovers a token that went away within the same process (measured
 * with SoftHSM2 2.6.1 on JDK 17: the old handles fail, a reloaded key store lists no aliases and a
 * new provider on the same library fails), so when this persists the remedy is a new process (a
 * supervised restart), which initialises the PKCS#11 library afresh.
 */
public final class HsmUnavailableException extends HsmException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must say what was attempted and on which token. */
  public HsmUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
