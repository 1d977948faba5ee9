package net.appstore.receipt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Parses the URI claims of receipts, remembering the store-wide ones: a store puts the same few
 * URLs (its verify and reissue URLs, its apps' origins) in every receipt, and parsing the URI
 * claims cost about 8% of the verifier service's CPU (docs/BENCHMARKS.md, "Verifier"). A {@link
 * URI} is immutable and its parse depends only on the string, so a remembered one is exactly what a
 * new parse would give. Only absolute URIs are remembered, at most {@link #CAPACITY} of them; when
 * full, the memory is emptied and refilled by the next receipts. A claim that differs in every
 * receipt (the {@code detail} URL names the receipt) goes through {@link #parse} instead, so that
 * it never crowds out the others. Receipts reach this only after their signature verified, so the
 * strings are the signer's, not an attacker's. Thread-safe.
 */
final class AbsoluteUris {

  static final int CAPACITY = 1024;

  private static final ConcurrentMap<String, URI> PARSED = new ConcurrentHashMap<>();

  private AbsoluteUris() {}

  /** {@code text} as an absolute URI, remembered; empty if it is not one. */
  static Optional<URI> remembered(String text) {
    URI known = PARSED.get(text);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<URI> uri = parse(text);
    if (uri.isPresent()) {
      if (PARSED.size() >= CAPACITY) {
        PARSED.clear();
      }
      PARSED.put(text, uri.get());
    }
    return uri;
  }

  /** {@code text} as an absolute URI, parsed now and not remembered; empty if it is not one. */
  static Optional<URI> parse(String text) {
    try {
      URI uri = new URI(text);
      return uri.isAbsolute() ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** How many URIs are remembered now (tests). */
  static int size() {
    return PARSED.size();
  }
}
