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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.core.AppRecord;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.DatabaseFailures;
import net.appstore.catalog.core.purchase.PurchaseAnswer;
import net.appstore.catalog.core.purchase.PurchaseFlow;
import net.appstore.catalog.db.AppDao;
import net.appstore.service.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;

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
  private final Jdbi primary;
  private final ObjectMapper json;

  /**
   * @param flow null while purchases are not configured
   */
  public AppPurchasesResource(PurchaseFlow flow, Jdbi primary, ObjectMapper json) {
    this.flow = flow;
    this.primary = primary;
    this.json = json;
  }

  @POST
  public Response purchase(
      @Auth CatalogUser buyer,
      @PathParam("slug") String slug,
      @HeaderParam("Idempotency-Key") String key,
      String body) {
    PurchaseFlow purchases = available();
    if (key == null
        || key.isEmpty()
        || key.length() > MAX_KEY_LENGTH
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return problem(
          400, "IDEMPOTENCY_KEY_REQUIRED", "Idempotency-Key: 1-255 printable characters");
    }
    String parameters;
    try {
      parameters = body == null || body.isBlank() ? "{}" : json.readTree(body).toString();
    } catch (IOException e) {
      return problem(400, "BODY_INVALID", "the body must be JSON or empty");
    }
    try {
      Optional<AppRecord> app = primary.withExtension(AppDao.class, dao -> dao.findPublic(slug));
      if (app.isEmpty()) {
        return problem(404, "NOT_FOUND", "no such app");
      }
      return toResponse(
          purchases.purchase(buyer, app.get(), key, digest(slug + "\n" + parameters)));
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
