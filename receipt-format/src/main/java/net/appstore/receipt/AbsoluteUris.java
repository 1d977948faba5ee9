package net.appstore.receipt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Parses the URI claims of receipts, remembering the ones it has parsed: a store puts the same few
 * URLs (its verify, reissue and detail URLs, its apps' origins) in every receipt, and parsing four
 * of them per verification cost about 8% of the verifier service's CPU (docs/BENCHMARKS.md,
 * "Verifier"). A {@link URI} is immutable and its parse depends only on the string, so a remembered
 * one is exactly what a new parse would give. Only absolute URIs are remembered, at most {@link
 * #CAPACITY} of them; when full, the memory is emptied and refilled by the next receipts. Receipts
 * reach this only after their signature verified, so the strings are the signer's, not an
 * attacker's. Thread-safe.
 */
final class AbsoluteUris {

  static final int CAPACITY = 1024;

  private static final ConcurrentMap<String, URI> PARSED = new ConcurrentHashMap<>();

  private AbsoluteUris() {}

  /** {@code text} as an absolute URI; empty if it is not one. */
  static Optional<URI> parse(String text) {
    URI known = PARSED.get(text);
    if (known != null) {
      return Optional.of(known);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (!uri.isAbsolute()) {
      return Optional.empty();
    }
    if (PARSED.size() >= CAPACITY) {
      PARSED.clear();
    }
    PARSED.put(text, uri);
    return Optional.of(uri);
  }

  /** How many URIs are remembered now (tests). */
  static int size() {
    return PARSED.size();
  }
}
