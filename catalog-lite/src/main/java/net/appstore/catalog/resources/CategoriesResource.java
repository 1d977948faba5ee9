package net.appstore.catalog.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import net.appstore.catalog.api.CategoryList;
import net.appstore.catalog.api.HomePage;
import net.appstore.catalog.core.CachedPage;
import net.appstore.catalog.core.CatalogPages;

/** {@code GET /api/v1/categories} and {@code GET /api/v1/home}: no identity needed. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class CategoriesResource {

  private final CatalogPages pages;
  private final HttpCaching http;

  public CategoriesResource(CatalogPages pages, HttpCaching http) {
    this.pages = pages;
    this.http = http;
  }

  @GET
  @Path("categories")
  public Response categories(@Context Request request) {
    CachedPage<CategoryList> page = pages.categories();
    return HttpCaching.respond(
        request,
        page.json(),
        page.etag(),
        MediaType.APPLICATION_JSON_TYPE,
        http.publicPage(),
        null);
  }

  @GET
  @Path("home")
  public Response home(@Context Request request) {
    CachedPage<HomePage> page = pages.home();
    return HttpCaching.respond(
        request,
        page.json(),
        page.etag(),
        MediaType.APPLICATION_JSON_TYPE,
        http.publicPage(),
        null);
  }
}
