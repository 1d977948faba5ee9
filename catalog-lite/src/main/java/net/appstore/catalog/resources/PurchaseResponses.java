package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.core.purchase.PurchaseAnswer;
import net.appstore.catalog.core.purchase.PurchaseFlow;
import net.appstore.service.ServiceUnavailableException;

/** What the purchase resources answer, the same way for buying, redownload and refunds. */
final class PurchaseResponses {

  private PurchaseResponses() {}

  /** The flow, or 503 when purchases are not configured (no signer or gateway). */
  static PurchaseFlow available(PurchaseFlow flow) {
    if (flow == null) {
      throw new ServiceUnavailableException(
          "PURCHASES_UNAVAILABLE", "purchases are not configured", Duration.ofMinutes(5));
    }
    return flow;
  }

  /** A flow's answer, never cached, with the idempotency and retry headers it calls for. */
  static Response toResponse(PurchaseAnswer answer) {
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

  static Response problem(ObjectMapper json, int status, String reason, String message) {
    var node = json.createObjectNode();
    node.put("error", reason.toLowerCase(Locale.ROOT).replace('_', ' '));
    node.put("reason", reason);
    node.put("message", message);
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(node.toString())
        .build();
  }

  static Optional<UUID> uuid(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** SHA-256 hex of a request's parameters: what an idempotency key is compared with. */
  static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
