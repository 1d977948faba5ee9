package net.appstore.catalog.core.blocklist;

import java.util.Optional;

/** An operator's explicit permission to publish despite one refusal; logged and recorded. */
public enum PublicationOverride {
  ALLOW_EMPTY(Refusal.EMPTY_AFTER_NON_EMPTY),
  ALLOW_DROP(Refusal.DROP_TOO_LARGE),
  ALLOW_VERSION_NOT_GREATER(Refusal.VERSION_NOT_GREATER);

  private final Refusal overrides;

  PublicationOverride(Refusal overrides) {
    this.overrides = overrides;
  }

  public Refusal overrides() {
    return overrides;
  }

  /** The command-line flag, e.g. {@code allow-empty}. */
  public String flag() {
    return overrides.overrideFlag();
  }

  public static Optional<PublicationOverride> fromFlag(String flag) {
    for (PublicationOverride o : values()) {
      if (o.flag().equals(flag)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
