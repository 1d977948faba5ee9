package net.appstore.keys;

import java.time.Instant;
import java.util.Optional;

/** A recorded lifecycle step; {@code forced} marks a safety rule overridden by an operator. */
public record KeyEvent(
    String kid,
    Optional<KeyState> fromState,
    KeyState toState,
    Instant at,
    String actor,
    boolean forced,
    Optional<String> note) {}
