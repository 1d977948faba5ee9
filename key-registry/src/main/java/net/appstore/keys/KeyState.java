package net.appstore.keys;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a signing key, like a Tink keyset's: a key is published (verifiers learn it)
 * before it signs, and keeps verifying (RETIRING) after it stops signing, until every receipt it
 * signed can no longer be valid.
 */
public enum KeyState {
  GENERATED,
  PUBLISHED,
  ACTIVE,
  RETIRING,
  RETIRED,
  DESTROYED;

  /** Whether the key appears in the JWKS that verifiers fetch. */
  public boolean isPublished() {
    return this == PUBLISHED || this == ACTIVE || this == RETIRING;
  }

  /** The single forward step allowed from this state (nothing moves backwards). */
  public Set<KeyState> nextStates() {
    return switch (this) {
      case GENERATED -> EnumSet.of(PUBLISHED, DESTROYED);
      case PUBLISHED -> EnumSet.of(ACTIVE, RETIRED);
      case ACTIVE -> EnumSet.of(RETIRING);
      case RETIRING -> EnumSet.of(RETIRED);
      case RETIRED -> EnumSet.of(DESTROYED);
      case DESTROYED -> EnumSet.noneOf(KeyState.class);
    };
  }

  public boolean canMoveTo(KeyState next) {
    return nextStates().contains(next);
  }
}
