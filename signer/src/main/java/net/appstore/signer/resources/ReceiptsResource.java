package net.appstore.signer.resources;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import net.appstore.signer.api.ReceiptResponse;
import net.appstore.signer.core.Caller;
import net.appstore.signer.core.IssuedReceipt;
import net.appstore.signer.core.ReceiptIssuer;
import net.appstore.signer.core.ReceiptOrder;
import net.appstore.signer.core.ReceiptOrderParser;
import net.appstore.signer.core.SignatureMetrics;
import net.appstore.signer.db.StoredReceipt;

/**
 * {@code POST /v1/receipts}: 201 with a new receipt, 200 with the receipt issued earlier for the
 * same purchase and claims, 400 (field errors), 401/403 (caller), 409 (same purchase, other
 * claims), 413 (body too large), 503 with {@code Retry-After} (no valid key, HSM or database
 * unavailable, signature check failed). Nothing is recorded unless the answer is 201.
 */
@Path("/v1/receipts")
public final class ReceiptsResource {

  private final ReceiptOrderParser parser;
  private final ReceiptIssuer issuer;
  private final SignatureMetrics metrics;

  public ReceiptsResource(
      ReceiptOrderParser parser, ReceiptIssuer issuer, SignatureMetrics metrics) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response create(@Context HttpServletRequest request, byte[] body) {
    Caller caller = CallerAuthenticationFilter.caller(request);
    ReceiptOrder order = parser.parse(body);
    IssuedReceipt issued = Refusals.counted(metrics, "receipt", () -> issuer.issue(caller, order));
    StoredReceipt receipt = issued.receipt();
    return Response.status(issued.created() ? 201 : 200)
        .header("Cache-Control", "no-store")
        .entity(
            new ReceiptResponse(
                receipt.token(),
                receipt.jti(),
                receipt.kid(),
                receipt.expiresAt().getEpochSecond()))
        .build();
  }
}
