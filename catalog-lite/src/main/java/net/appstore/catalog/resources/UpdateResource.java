package net.appstore.catalog.resources;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import net.appstore.catalog.core.UpdateCheck;

/**
 * {@code GET /api/v1/update?id={slug}&version={current}&appVersion={platform}}: always 200 with an
 * update manifest; "no update" with a short cache life when the data is unavailable (F15).
 *
 * <p>The rendered answers (JSON bytes and ETag) are memoised by manifest ({@link
 * RenderedManifests}). A plain request whose answer is cached is answered before Jersey by {@link
 * CachedReadFilter}, identically. Thread-safe.
 */
@Path("/api/v1/update")
@Produces(MediaType.APPLICATION_JSON)
public final class UpdateResource {

  private final UpdateCheck updates;
  private final HttpCaching http;
  private final RenderedManifests rendered;

  public UpdateResource(UpdateCheck updates, HttpCaching http, RenderedManifests rendered) {
    this.updates = updates;
    this.http = http;
    this.rendered = rendered;
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
    RenderedManifests.Rendered body = rendered.of(answer.manifest());
    return HttpCaching.respond(
        request,
        body.body(),
        body.etag(),
        MediaType.APPLICATION_JSON_TYPE,
        http.update(answer.degraded()),
        null);
  }
}
