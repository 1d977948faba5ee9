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
import net.appstore.signer.api.BlocklistResponse;
import net.appstore.signer.core.BlocklistIssuer;
import net.appstore.signer.core.BlocklistOrder;
import net.appstore.signer.core.BlocklistOrderParser;
import net.appstore.signer.core.Caller;
import net.appstore.signer.core.SignatureMetrics;
import net.appstore.signer.core.SignedBlocklist;

/**
 * {@code POST /v1/blocklists} with {@code {"document": {...}}}: 201 {@code {"token", "kid"}}; 400,
 * 401/403, 413 and 503 as for receipts.
 */
@Path("/v1/blocklists")
public final class BlocklistsResource {

  private final BlocklistOrderParser parser;
  private final BlocklistIssuer issuer;
  private final SignatureMetrics metrics;

  public BlocklistsResource(
      BlocklistOrderParser parser, BlocklistIssuer issuer, SignatureMetrics metrics) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response sign(@Context HttpServletRequest request, byte[] body) {
    Caller caller = CallerAuthenticationFilter.caller(request);
    BlocklistOrder order = parser.parse(body);
    SignedBlocklist signed =
        Refusals.counted(metrics, "blocklist", () -> issuer.sign(caller, order));
    return Response.status(201)
        .header("Cache-Control", "no-store")
        .entity(new BlocklistResponse(signed.token(), signed.kid()))
        .build();
  }
}
