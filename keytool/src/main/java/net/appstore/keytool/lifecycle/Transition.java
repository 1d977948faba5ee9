package net.appstore.keytool.lifecycle;

import java.util.Objects;
import java.util.Optional;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;

/**
 * One state change the rules allow, to be applied to the registry and recorded as a key event.
 * Immutable.
 *
 * @param forced whether a safety rule was overridden by the operator ({@code --force})
 * @param note why, for the event log; always present when forced
 */
public record Transition(
    RegisteredKey key, KeyState from, KeyState to, boolean forced, Optional<String> note) {

  public Transition {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(note, "note");
    if (!from.canMoveTo(to)) {
      throw new IllegalArgumentException("no lifecycle step from " + from + " to " + to);
    }
    if (forced && note.isEmpty()) {
      throw new IllegalArgumentException("a forced step needs a note");
    }
  }

  static Transition of(RegisteredKey key, KeyState to) {
    return new Transition(key, key.state(), to, false, Optional.empty());
  }

  static Transition of(RegisteredKey key, KeyState to, String note) {
    return new Transition(key, key.state(), to, false, Optional.of(note));
  }

  static Transition forced(RegisteredKey key, KeyState to, String note) {
    return new Transition(key, key.state(), to, true, Optional.of(note));
  }

  /** The same step with {@code text} added to its note. */
  public Transition withNote(String text) {
    return new Transition(
        key, from, to, forced, Optional.of(note.map(n -> n + "; " + text).orElse(text)));
  }

  /** The same step with the operator's reason added to its note (for forced steps). */
  public Transition withReason(String reason) {
    return reason == null || reason.isBlank() ? this : withNote("reason: " + reason.strip());
  }

  public String kid() {
    return key.kid();
  }
}
