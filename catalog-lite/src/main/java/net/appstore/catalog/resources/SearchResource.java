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
import net.appstore.catalog.api.SearchResults;
import net.appstore.catalog.core.CachedPage;
import net.appstore.catalog.core.SearchService;

/** {@code GET /api/v1/search?q=&page=}: 503 {@code SEARCH_UNAVAILABLE} when search is down (F3). */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
public final class SearchResource {

  private final SearchService search;
  private final HttpCaching http;
  private final int maxPage;

  public SearchResource(SearchService search, HttpCaching http, int maxPage) {
    this.search = search;
    this.http = http;
    this.maxPage = maxPage;
  }

  @GET
  public Response search(
      @QueryParam("q") String q, @QueryParam("page") String page, @Context Request request) {
    if (q == null || q.isBlank() || q.length() > SearchService.MAX_QUERY_LENGTH) {
      throw new BadRequestException(
          "q must be 1 to " + SearchService.MAX_QUERY_LENGTH + " characters");
    }
    int number = Slugs.requirePage(page, maxPage);
    CachedPage<SearchResults> results = search.search(SearchService.Query.of(q, number));
    return HttpCaching.respond(
        request,
        results.json(),
        results.etag(),
        MediaType.APPLICATION_JSON_TYPE,
        http.publicPage(),
        null);
  }
}
