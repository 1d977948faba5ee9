package net.appstore.signer.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Objects;
import net.appstore.signer.core.PublishedKeySetCache;

/**
 * {@code GET /.well-known/jwks.json}: the PUBLISHED, ACTIVE and RETIRING keys with their {@code
 * x5c} chains. Public (no client certificate needed): verifiers and apps fetch it; it holds public
 * keys only, and verifiers trust a key only if its chain leads to their pinned root.
 */
@Path("/.well-known/jwks.json")
public final class JwksResource {

  private final PublishedKeySetCache keys;
  private final String cacheControl;

  public JwksResource(PublishedKeySetCache keys, Duration maxAge) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.cacheControl = "public, max-age=" + maxAge.toSeconds();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response jwks() {
    return Response.ok(keys.json()).header("Cache-Control", cacheControl).build();
  }
}
