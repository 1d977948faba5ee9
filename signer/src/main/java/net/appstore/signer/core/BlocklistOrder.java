package net.appstore.signer.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated blocklist document to sign: its members as plain Java values (objects with members
 * sorted as RFC 8785 orders them, arrays, strings, longs, booleans, nulls), and the {@code iss} and
 * {@code iat} the catalog put in it, if it did. The signer fills in what is missing. Immutable.
 *
 * @param members the document without {@code iss} and {@code iat}
 * @param iss the issuer the document names, if any
 * @param iat the issue time the document names, if any
 */
public record BlocklistOrder(
    Map<String, Object> members, Optional<String> iss, Optional<Instant> iat) {

  public BlocklistOrder {
    members = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(members));
    Objects.requireNonNull(iss, "iss");
    Objects.requireNonNull(iat, "iat");
  }
}
