package net.appstore.catalog.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import net.appstore.catalog.core.blocklist.ServedBlocklist;
import net.appstore.service.ServiceUnavailableException;

/**
 * The published blocklist as static files: {@code /blocklist/v1/blocklist.jwt} (compact JWS) and
 * {@code /blocklist/v1/blocklist.json} (the same payload, unsigned, for people), with ETags and
 * conditional requests. The same files can be served by any web server from the publication
 * directory's {@code current/}.
 */
@Path("/blocklist/v1")
public final class BlocklistFileResource {

  public static final MediaType JWT = new MediaType("application", "jwt");

  private final ServedBlocklist served;
  private final HttpCaching http;

  public BlocklistFileResource(ServedBlocklist served, HttpCaching http) {
    this.served = served;
    this.http = http;
  }

  @GET
  @Path("blocklist.jwt")
  public Response signed(@Context Request request) {
    ServedBlocklist.Snapshot s = snapshot();
    return HttpCaching.respond(request, s.jwt(), s.jwtEtag(), JWT, http.blocklist(), null);
  }

  @GET
  @Path("blocklist.json")
  public Response readable(@Context Request request) {
    ServedBlocklist.Snapshot s = snapshot();
    return HttpCaching.respond(
        request, s.json(), s.jsonEtag(), MediaType.APPLICATION_JSON_TYPE, http.blocklist(), null);
  }

  private ServedBlocklist.Snapshot snapshot() {
    return served
        .current()
        .orElseThrow(
            () ->
                new ServiceUnavailableException(
                    "NO_BLOCKLIST", "no blocklist has been published yet", Duration.ofMinutes(1)));
  }
}
