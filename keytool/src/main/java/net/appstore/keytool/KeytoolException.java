package net.appstore.keytool;

/**
 * An expected failure of a keytool command: the message is one line for the operator, the exit code
 * says what kind of failure it is (see {@link ExitCode}). Never carries a PIN or key material.
 */
public class KeytoolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public KeytoolException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  public KeytoolException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A safety rule or the key's state forbids the step; nothing was changed. */
  public static KeytoolException refused(String message) {
    return new KeytoolException(ExitCode.REFUSED, message);
  }

  /** Bad arguments or configuration. */
  public static KeytoolException usage(String message) {
    return new KeytoolException(ExitCode.USAGE, message);
  }

  /** Registry and HSM disagree, or a certificate cannot be issued: a person must look. */
  public static KeytoolException integrity(String message) {
    return new KeytoolException(ExitCode.INTEGRITY, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
