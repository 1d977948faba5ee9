package net.appstore.catalog.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import net.appstore.catalog.api.UpdateManifest;
import net.appstore.catalog.core.PageCache;
import net.appstore.catalog.core.UpdateCheck;

/**
 * {@code GET /api/v1/update?id={slug}&version={current}&appVersion={platform}}: always 200 with an
 * update manifest; "no update" with a short cache life when the data is unavailable (F15).
 *
 * <p>The rendered answers (JSON bytes and ETag) are memoised by manifest: the key is the content
 * itself, so an entry can never be stale, and the hot path skips serialising and hashing (the
 * benchmark in docs/BENCHMARKS.md measured both per request). Bounded; thread-safe.
 */
@Path("/api/v1/update")
@Produces(MediaType.APPLICATION_JSON)
public final class UpdateResource {

  private final UpdateCheck updates;
  private final HttpCaching http;
  private final ObjectMapper json;
  private final Cache<UpdateManifest, Rendered> rendered =
      Caffeine.newBuilder().maximumSize(20_000).build();

  private record Rendered(byte[] body, String etag) {}

  public UpdateResource(UpdateCheck updates, HttpCaching http, ObjectMapper json) {
    this.updates = updates;
    this.http = http;
    this.json = json;
  }

  @GET
  public Response check(
      @QueryParam("id") String id,
      @QueryParam("version") String version,
      @QueryParam("appVersion") String appVersion,
      @Context Request request) {
    if (!Slugs.isSlug(id)) {
      throw new BadRequestException("id must be an app slug");
    }
    if (!Slugs.isVersion(version) || !Slugs.isVersion(appVersion)) {
      throw new BadRequestException("version and appVersion must be version strings");
    }
    UpdateCheck.Answer answer = updates.check(id, version, appVersion);
    Rendered body = rendered.get(answer.manifest(), this::render);
    return HttpCaching.respond(
        request,
        body.body(),
        body.etag(),
        MediaType.APPLICATION_JSON_TYPE,
        http.update(answer.degraded()),
        null);
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
