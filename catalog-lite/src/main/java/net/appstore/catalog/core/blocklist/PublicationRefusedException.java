package net.appstore.catalog.core.blocklist;

/** A publication was refused; the last good file stays in place. */
public final class PublicationRefusedException extends Exception {

  private static final long serialVersionUID = 1L;
  private final Refusal refusal;

  public PublicationRefusedException(Refusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  public PublicationRefusedException(Refusal refusal, String message, Throwable cause) {
    super(message, cause);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
