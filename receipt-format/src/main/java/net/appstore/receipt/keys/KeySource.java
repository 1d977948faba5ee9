package net.appstore.receipt.keys;

import java.util.Optional;

/**
 * Where a verifier finds the published key for a {@code kid}. The verifier service backs it with a
 * cached, periodically refreshed JWKS; tests use a fixed {@link PublishedKeySet}.
 *
 * <p>The two outcomes a verifier must tell apart are kept apart here: an empty result means the
 * source is healthy and the key does not exist (the token is invalid), while {@link
 * KeySourceUnavailableException} means the source cannot answer (the service says 503, never
 * "invalid" because of its own failure). An implementation may refresh on a miss, rate-limited, so
 * a newly published key is found before the next scheduled refresh.
 *
 * <p>Implementations must be thread-safe.
 */
public interface KeySource {

  /**
   * The published key with this kid, if the source knows it. Its trust is not decided here.
   *
   * @throws KeySourceUnavailableException if the source cannot currently answer
   */
  Optional<PublishedKey> find(String kid) throws KeySourceUnavailableException;
}
