package net.appstore.catalog.resources;

import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.DeveloperStatistics;

/**
 * {@code GET /api/v1/developers/{slug}/stats}: the developer or an operator; 503 if the DB is down.
 */
@Path("/api/v1/developers")
@Produces(MediaType.APPLICATION_JSON)
public final class DeveloperResource {

  private final DeveloperStatistics statistics;

  public DeveloperResource(DeveloperStatistics statistics) {
    this.statistics = statistics;
  }

  @GET
  @Path("{slug}/stats")
  public Response stats(@Auth CatalogUser reader, @PathParam("slug") String slug) {
    return Response.ok(statistics.of(Slugs.requireSlug(slug, "developer"), reader))
        .header("Cache-Control", HttpCaching.NO_STORE)
        .build();
  }
}
