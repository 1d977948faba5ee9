package net.appstore.catalog.core;

import java.util.Optional;

/**
 * A cached answer: the view (absent: the thing does not exist, which is cached too so that a flood
 * of requests for a missing app does not reach the database), its JSON rendering and ETag, computed
 * once when loaded, and when it was loaded (ticker nanoseconds) so that its age can be bounded
 * exactly. Immutable.
 *
 * @param partial the view lacks optional parts (an app page without reviews, F5) and should be
 *     loaded again soon
 */
public record CachedPage<V>(
    Optional<V> view, byte[] json, String etag, boolean partial, long loadedAtNanos) {

  public boolean found() {
    return view.isPresent();
  }
}
