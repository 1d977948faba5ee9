package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import net.appstore.catalog.core.purchase.PurchaseAnswer;
import net.appstore.catalog.core.purchase.PurchaseFlow;
import net.appstore.service.ServiceUnavailableException;

/**
 * {@code POST /api/v1/receipts/reissue}: body the expired receipt (as text, or {@code {"receipt":
 * "..."}}) → 200 {@code {purchase_id, status, receipt, download_url}} with a fresh receipt. The
 * receipt itself is the credential: only the exact bytes the store issued are accepted.
 */
@Path("/api/v1/receipts/reissue")
@Produces(MediaType.APPLICATION_JSON)
public final class ReceiptsResource {

  private final PurchaseFlow flow;
  private final ObjectMapper json;

  /**
   * @param flow null while purchases are not configured
   */
  public ReceiptsResource(PurchaseFlow flow, ObjectMapper json) {
    this.flow = flow;
    this.json = json;
  }

  @POST
  public Response reissue(String body) {
    if (flow == null) {
      throw new ServiceUnavailableException(
          "PURCHASES_UNAVAILABLE", "purchases are not configured", Duration.ofMinutes(5));
    }
    String receipt = body == null ? "" : body.trim();
    if (receipt.startsWith("{")) {
      try {
        JsonNode node = json.readTree(receipt);
        receipt = node.path("receipt").asText("");
      } catch (IOException e) {
        receipt = "";
      }
    }
    PurchaseAnswer answer = flow.reissue(receipt, flow::app);
    Response.ResponseBuilder response =
        Response.status(answer.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(answer.body())
            .header("Cache-Control", "no-store");
    if (answer.retryAfter() != null) {
      response.header("Retry-After", Math.max(1, answer.retryAfter().toSeconds()));
    }
    return response.build();
  }
}
