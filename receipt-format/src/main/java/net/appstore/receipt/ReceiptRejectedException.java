package net.appstore.receipt;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A token (receipt or other signed document) was refused, for a stable {@link #reason()}.
 *
 * <p>Checked, so a caller cannot forget that verification can fail. The message explains the reason
 * for operators; it never contains the token, key material or claim values, so it is safe to log.
 */
public final class ReceiptRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;
  private final URI reissue;

  public ReceiptRejectedException(RejectionReason reason, String detail) {
    this(reason, detail, null, null);
  }

  public ReceiptRejectedException(RejectionReason reason, String detail, Throwable cause) {
    this(reason, detail, cause, null);
  }

  private ReceiptRejectedException(
      RejectionReason reason, String detail, Throwable cause, URI reissue) {
    super(Objects.requireNonNull(reason, "reason") + ": " + detail, cause);
    this.reason = reason;
    this.reissue = reissue;
  }

  /**
   * An {@link RejectionReason#EXPIRED} rejection of an authentic receipt, carrying its {@code
   * reissue} URL so the verifier can tell the app where to get a fresh one. The verification core
   * creates it only after the signature has been checked, so the URL can be trusted.
   */
  public static ReceiptRejectedException expired(String detail, URI reissue) {
    return new ReceiptRejectedException(
        RejectionReason.EXPIRED, detail, null, Objects.requireNonNull(reissue, "reissue"));
  }

  public RejectionReason reason() {
    return reason;
  }

  /** The signed reissue URL, present only for an expired, otherwise authentic receipt. */
  public Optional<URI> reissue() {
    return Optional.ofNullable(reissue);
  }
}
