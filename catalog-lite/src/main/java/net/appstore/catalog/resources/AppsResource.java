package net.appstore.catalog.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import net.appstore.catalog.api.AppListing;
import net.appstore.catalog.api.AppPage;
import net.appstore.catalog.api.NewReview;
import net.appstore.catalog.api.ReviewView;
import net.appstore.catalog.core.AppPages;
import net.appstore.catalog.core.CachedPage;
import net.appstore.catalog.core.CatalogPages;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.ListingKey;
import net.appstore.catalog.core.ListingSort;
import net.appstore.catalog.core.PageCache;
import net.appstore.catalog.core.TokenAuthenticator;

/**
 * Listings, app pages and reviews. Browsing needs no identity; a reader who sends a bearer token
 * also sees their own review at once (F6). Posting a review needs a valid token.
 */
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public final class AppsResource {

  private final CatalogPages pages;
  private final AppPages appPages;
  private final TokenAuthenticator identity;
  private final HttpCaching http;
  private final ObjectMapper json;
  private final int maxPage;

  public AppsResource(
      CatalogPages pages,
      AppPages appPages,
      TokenAuthenticator identity,
      HttpCaching http,
      ObjectMapper json,
      int maxPage) {
    this.pages = pages;
    this.appPages = appPages;
    this.identity = identity;
    this.http = http;
    this.json = json;
    this.maxPage = maxPage;
  }

  @GET
  public Response list(
      @QueryParam("category") String category,
      @QueryParam("sort") @DefaultValue("popular") String sort,
      @QueryParam("page") String page,
      @Context Request request) {
    ListingSort order =
        ListingSort.fromWire(sort)
            .orElseThrow(() -> new BadRequestException("sort must be popular, new or rating"));
    int number = Slugs.requirePage(page, maxPage);
    Optional<String> inCategory = Optional.empty();
    if (category != null && !category.isEmpty()) {
      inCategory = Optional.of(Slugs.requireSlug(category, "category"));
    }
    CachedPage<AppListing> listing = pages.listing(new ListingKey(inCategory, order, number));
    if (!listing.found()) {
      throw new NotFoundException("no category " + category);
    }
    return HttpCaching.respond(
        request,
        listing.json(),
        listing.etag(),
        MediaType.APPLICATION_JSON_TYPE,
        http.publicPage(),
        null);
  }

  @GET
  @Path("{slug}")
  public Response page(
      @PathParam("slug") String slug,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context Request request) {
    CachedPage<AppPages.LoadedAppPage> cached = appPages.page(Slugs.requireSlug(slug, "app"));
    if (!cached.found()) {
      throw new NotFoundException("no app " + slug);
    }
    Optional<CatalogUser> reader = identity.identify(authorization);
    if (reader.isEmpty()) {
      return HttpCaching.respond(
          request,
          cached.json(),
          cached.etag(),
          MediaType.APPLICATION_JSON_TYPE,
          cached.partial() ? http.partialPage() : http.publicPage(),
          HttpHeaders.AUTHORIZATION);
    }
    AppPage personal = appPages.pageFor(cached.view().get(), reader.get());
    byte[] body = render(personal);
    return HttpCaching.respond(
        request,
        body,
        PageCache.etagOf(body),
        MediaType.APPLICATION_JSON_TYPE,
        HttpCaching.PRIVATE,
        HttpHeaders.AUTHORIZATION);
  }

  @POST
  @Path("{slug}/reviews")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response postReview(
      @Auth CatalogUser author, @PathParam("slug") String slug, @Valid @NotNull NewReview review) {
    ReviewView saved = appPages.postReview(Slugs.requireSlug(slug, "app"), author, review);
    return Response.status(Response.Status.CREATED)
        .entity(saved)
        .header("Cache-Control", HttpCaching.NO_STORE)
        .build();
  }

  private byte[] render(AppPage page) {
    try {
      return json.writeValueAsBytes(page);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render an app page", e);
    }
  }
}
