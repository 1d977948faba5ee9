package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.core.AppRecord;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.DatabaseFailures;
import net.appstore.catalog.core.purchase.PurchaseFlow;
import net.appstore.service.ServiceUnavailableException;

/**
 * {@code POST /api/v1/apps/{slug}/purchases} (buyer, {@code Idempotency-Key} required): the key and
 * a digest of the slug and body go to {@link PurchaseFlow}. Its own root resource, since JAX-RS
 * matches root paths before methods and {@link AppsResource} owns {@code /api/v1/apps}.
 */
@Path("/api/v1/apps/{slug}/purchases")
@Produces(MediaType.APPLICATION_JSON)
public final class AppPurchasesResource {

  private static final int MAX_KEY_LENGTH = 255;

  private final PurchaseFlow flow;
  private final ObjectMapper json;

  /**
   * @param flow null while purchases are not configured
   */
  public AppPurchasesResource(PurchaseFlow flow, ObjectMapper json) {
    this.flow = flow;
    this.json = json;
  }

  @POST
  public Response purchase(
      @Auth CatalogUser buyer,
      @PathParam("slug") String slug,
      @HeaderParam("Idempotency-Key") String key,
      String body) {
    PurchaseFlow purchases = PurchaseResponses.available(flow);
    if (key == null
        || key.isEmpty()
        || key.length() > MAX_KEY_LENGTH
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return PurchaseResponses.problem(
          json, 400, "IDEMPOTENCY_KEY_REQUIRED", "Idempotency-Key: 1-255 printable characters");
    }
    String parameters;
    try {
      parameters = body == null || body.isBlank() ? "{}" : json.readTree(body).toString();
    } catch (IOException e) {
      return PurchaseResponses.problem(json, 400, "BODY_INVALID", "the body must be JSON or empty");
    }
    try {
      Optional<AppRecord> app = purchases.app(slug);
      if (app.isEmpty()) {
        return PurchaseResponses.problem(json, 404, "NOT_FOUND", "no such app");
      }
      return PurchaseResponses.toResponse(
          purchases.purchase(
              buyer, app.get(), key, PurchaseResponses.digest(slug + "\n" + parameters)));
    } catch (RuntimeException e) {
      // Nothing was charged: every database write precedes the charge, or the journal took it.
      if (DatabaseFailures.isTemporary(e)) {
        throw new ServiceUnavailableException(
            CatalogApplication.DATABASE_UNAVAILABLE,
            "the store database is unavailable",
            Duration.ofSeconds(5));
      }
      throw e;
    }
  }
}
