package net.appstore.service;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;

/** 503 with {@code Retry-After} (whole seconds, at least 1) and a stable reason code. */
public final class ServiceUnavailableExceptionMapper
    implements ExceptionMapper<ServiceUnavailableException> {

  @Override
  public Response toResponse(ServiceUnavailableException e) {
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    return Response.status(503)
        .header("Retry-After", Long.toString(seconds))
        .header("Cache-Control", "no-store")
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            Map.of("error", "service unavailable", "reason", e.reason(), "message", e.getMessage()))
        .build();
  }
}
