package net.appstore.verifier.resources;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.verifier.api.Verdict;
import net.appstore.verifier.core.ReceiptVerification;

/**
 * {@code POST /v1/verify}: the receipt as the body (text, or JSON {@code {"receipt": ...}}) → 200
 * with a {@link Verdict}. A body over the size limit gets 413 with {@code {"status": "invalid",
 * "reason": "TOO_LARGE"}}, unread. 503 with {@code Retry-After} when keys or purchases cannot be
 * checked now. Answers are never cacheable: a refund changes them.
 */
@Path("/v1/verify")
@Produces(MediaType.APPLICATION_JSON)
public final class VerifyResource {

  private final ReceiptVerification verification;
  private final ReceiptBody bodies;

  public VerifyResource(ReceiptVerification verification, int maxBodyBytes) {
    this.verification = verification;
    this.bodies = new ReceiptBody(maxBodyBytes);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response verify(@Context HttpHeaders headers, InputStream body) throws IOException {
    String token;
    try {
      token = bodies.token(headers.getMediaType(), headers.getLength(), body);
    } catch (ReceiptBody.TooLargeException e) {
      return answer(413, verification.refuse(ReceiptBody.tooLarge(e).reason()));
    } catch (ReceiptRejectedException e) {
      return answer(200, verification.refuse(e.reason()));
    }
    return answer(200, verification.verify(token));
  }

  private static Response answer(int status, Verdict verdict) {
    return Response.status(status).entity(verdict).header("Cache-Control", "no-store").build();
  }
}
