package net.appstore.catalog.core.blocklist;

/** The signer gave no signature: unreachable, timed out, or refused the document. */
public final class BlocklistSigningException extends Exception {

  private static final long serialVersionUID = 1L;

  public BlocklistSigningException(String message) {
    super(message);
  }

  public BlocklistSigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
