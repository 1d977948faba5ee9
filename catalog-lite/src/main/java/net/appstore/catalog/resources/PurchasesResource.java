package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.purchase.PurchaseFlow;

/**
 * Purchases after the fact: {@code GET /api/v1/purchases/{id}} (owner: redownload, F21/F30) and
 * {@code POST /api/v1/purchases/{id}/refund} (operator). Answers 503 {@code PURCHASES_UNAVAILABLE}
 * while the flow is not configured.
 */
@Path("/api/v1/purchases")
@Produces(MediaType.APPLICATION_JSON)
public final class PurchasesResource {

  private static final int MAX_KEY_LENGTH = 255;

  private final PurchaseFlow flow;
  private final ObjectMapper json;

  /**
   * @param flow null while purchases are not configured
   */
  public PurchasesResource(PurchaseFlow flow, ObjectMapper json) {
    this.flow = flow;
    this.json = json;
  }

  @GET
  @Path("{id}")
  public Response show(@Auth CatalogUser caller, @PathParam("id") String id) {
    Optional<UUID> purchase = PurchaseResponses.uuid(id);
    if (purchase.isEmpty()) {
      return PurchaseResponses.problem(json, 404, "NOT_FOUND", "no such purchase");
    }
    return PurchaseResponses.toResponse(
        PurchaseResponses.available(flow).show(caller, purchase.get()));
  }

  @POST
  @Path("{id}/refund")
  @RolesAllowed(CatalogUser.OPERATOR)
  public Response refund(@Auth CatalogUser operator, @PathParam("id") String id) {
    Optional<UUID> purchase = PurchaseResponses.uuid(id);
    if (purchase.isEmpty()) {
      return PurchaseResponses.problem(json, 404, "NOT_FOUND", "no such purchase");
    }
    return PurchaseResponses.toResponse(
        PurchaseResponses.available(flow).refund(operator, purchase.get()));
  }
}
