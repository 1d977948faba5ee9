package net.appstore.hsm;

import java.util.Objects;

/**
 * The HSM is present but the requested key cannot be used, and retrying will not help: a person
 * must act (alert, do not retry). {@link #reason()} says what is wrong.
 */
public final class HsmKeyException extends HsmException {
  private static final long serialVersionUID = 1L;

  /** Why the key cannot be used. */
  public enum Reason {
    /** No key with this label on a token that is present and answering. */
    KEY_ABSENT,
    /** The key exists but is not of the type the caller requires. */
    WRONG_KEY_TYPE,
    /** The key exists but cannot sign, or its certificate does not belong to it. */
    KEY_UNUSABLE,
    /** A key generation asked for a label that is already taken. */
    LABEL_IN_USE,
    /** The token refused the user PIN (wrong, malformed or empty). */
    WRONG_PIN,
    /** The user PIN is locked or expired; the security officer must reset it. */
    PIN_LOCKED
  }

  private final Reason reason;

  /** Creates the exception; the message must name the token and label concerned. */
  public HsmKeyException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What is wrong with the key or login. */
  public Reason reason() {
    return reason;
  }
}
