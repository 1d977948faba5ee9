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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.purchase.PurchaseAnswer;
import net.appstore.catalog.core.purchase.PurchaseFlow;
import net.appstore.service.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;

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
  private final Jdbi primary;
  private final ObjectMapper json;

  /**
   * @param flow null while purchases are not configured
   */
  public PurchasesResource(PurchaseFlow flow, Jdbi primary, ObjectMapper json) {
    this.flow = flow;
    this.primary = primary;
    this.json = json;
  }

  @GET
  @Path("{id}")
  public Response show(@Auth CatalogUser caller, @PathParam("id") String id) {
    Optional<UUID> purchase = uuid(id);
    if (purchase.isEmpty()) {
      return problem(404, "NOT_FOUND", "no such purchase");
    }
    return toResponse(available().show(caller, purchase.get()));
  }

  @POST
  @Path("{id}/refund")
  @RolesAllowed(CatalogUser.OPERATOR)
  public Response refund(@Auth CatalogUser operator, @PathParam("id") String id) {
    Optional<UUID> purchase = uuid(id);
    if (purchase.isEmpty()) {
      return problem(404, "NOT_FOUND", "no such purchase");
    }
    return toResponse(available().refund(operator, purchase.get()));
  }

  private PurchaseFlow available() {
    if (flow == null) {
      throw new ServiceUnavailableException(
          "PURCHASES_UNAVAILABLE", "purchases are not configured", Duration.ofMinutes(5));
    }
    return flow;
  }

  private static Response toResponse(PurchaseAnswer answer) {
    Response.ResponseBuilder response =
        Response.status(answer.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(answer.body())
            .header("Cache-Control", "no-store");
    if (answer.replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    if (answer.retryAfter() != null) {
      response.header("Retry-After", Math.max(1, answer.retryAfter().toSeconds()));
    }
    return response.build();
  }

  private Response problem(int status, String reason, String message) {
    var node = json.createObjectNode();
    node.put("error", reason.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    node.put("reason", reason);
    node.put("message", message);
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(node.toString())
        .build();
  }

  private static Optional<UUID> uuid(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
