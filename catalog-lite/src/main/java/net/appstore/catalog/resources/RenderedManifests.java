package net.appstore.catalog.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.appstore.catalog.api.UpdateManifest;
import net.appstore.catalog.core.PageCache;

/**
 * Update manifests rendered to JSON bytes with their ETag, memoised by manifest: the key is the
 * content itself, so an entry can never be stale, and the hot path skips serialising and hashing
 * (the benchmark in docs/BENCHMARKS.md measured both per request). Shared by {@link UpdateResource}
 * and {@link CachedReadFilter}, so both send the same bytes. Bounded; thread-safe.
 */
public final class RenderedManifests {

  record Rendered(byte[] body, String etag) {}

  private final ObjectMapper json;
  private final Cache<UpdateManifest, Rendered> rendered =
      Caffeine.newBuilder().maximumSize(20_000).build();

  public RenderedManifests(ObjectMapper json) {
    this.json = json;
  }

  Rendered of(UpdateManifest manifest) {
    return rendered.get(manifest, this::render);
  }

  private Rendered render(UpdateManifest manifest) {
    try {
      byte[] body = json.writeValueAsBytes(manifest);
      return new Rendered(body, PageCache.etagOf(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render an update manifest", e);
    }
  }
}
