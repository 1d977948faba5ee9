package net.appstore.catalog.resources;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * HTTP caching of the service's answers (F1): every cacheable answer has a strong {@code ETag} and
 * a {@code Cache-Control} that lets a CDN or reverse proxy keep serving it, and a conditional
 * request whose ETag still matches gets 304 without a body. Immutable.
 */
public record HttpCaching(
    Duration pageMaxAge,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    Duration partialMaxAge,
    Duration updateMaxAge,
    Duration degradedUpdateMaxAge,
    Duration blocklistMaxAge) {

  /** Answers that depend on who asks: only the asker's own cache may keep them. */
  public static final String PRIVATE = "private, no-cache";

  public static final String NO_STORE = "no-store";

  public String publicPage() {
    return "public, max-age="
        + pageMaxAge.toSeconds()
        + ", stale-while-revalidate="
        + staleWhileRevalidate.toSeconds()
        + ", stale-if-error="
        + staleIfError.toSeconds();
  }

  /** A page with parts missing (F5) should be fetched again soon. */
  public String partialPage() {
    return "public, max-age=" + partialMaxAge.toSeconds();
  }

  public String update(boolean degraded) {
    return "public, max-age=" + (degraded ? degradedUpdateMaxAge : updateMaxAge).toSeconds();
  }

  public String blocklist() {
    return "public, max-age="
        + blocklistMaxAge.toSeconds()
        + ", stale-if-error="
        + staleIfError.toSeconds();
  }

  /**
   * 200 with {@code body}, or 304 if the request's {@code If-None-Match} names {@code etag}.
   *
   * @param vary request headers the answer depends on, or null
   */
  public static Response respond(
      Request request, byte[] body, String etag, MediaType type, String cacheControl, String vary) {
    EntityTag tag = new EntityTag(etag);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    Response.ResponseBuilder builder = notModified != null ? notModified : Response.ok(body, type);
    builder.tag(tag).header("Cache-Control", cacheControl);
    if (vary != null) {
      builder.header("Vary", vary);
    }
    return builder.build();
  }
}
