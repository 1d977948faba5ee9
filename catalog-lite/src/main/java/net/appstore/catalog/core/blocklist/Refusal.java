package net.appstore.catalog.core.blocklist;

/**
 * Why a publication was refused (F18). All but {@link #BAD_SIGNATURE} can be overridden by an
 * operator with an explicit flag, which is logged and recorded with the publication.
 */
public enum Refusal {
  /** The list would be empty while the last published one was not. */
  EMPTY_AFTER_NON_EMPTY("allow-empty"),
  /** More than the configured share of the last list's entries would disappear. */
  DROP_TOO_LARGE("allow-drop"),
  /** The version would not be greater than the last published one (clients would reject it). */
  VERSION_NOT_GREATER("allow-version-not-greater"),
  /** The signature does not verify against the JWKS, or the signed payload is not the document. */
  BAD_SIGNATURE(null),
  /**
   * The signing key's {@code x5c} certificate does not chain to the pinned root: clients, who pin
   * that root, would reject the list.
   */
  UNTRUSTED_KEY(null);

  private final String overrideFlag;

  Refusal(String overrideFlag) {
    this.overrideFlag = overrideFlag;
  }

  /** The command-line flag (without {@code --}) that overrides it; null if nothing may. */
  public String overrideFlag() {
    return overrideFlag;
  }

  public boolean overridable() {
    return overrideFlag != null;
  }
}
