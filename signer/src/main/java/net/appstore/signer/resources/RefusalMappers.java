package net.appstore.signer.resources;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import net.appstore.signer.api.ErrorResponse;
import net.appstore.signer.core.CallerNotAllowedException;
import net.appstore.signer.core.InvalidRequestException;
import net.appstore.signer.core.PurchaseConflictException;
import net.appstore.signer.core.SignatureMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The 400, 403 and 409 answers, counted as {@code signer.rejections.<reason>} and logged. */
public final class RefusalMappers {

  private static final Logger LOG = LoggerFactory.getLogger(RefusalMappers.class);

  private RefusalMappers() {}

  private static Response answer(
      SignatureMetrics metrics, int status, ErrorResponse body, String logDetail) {
    metrics.rejection(body.reason());
    MDC.put("outcome", "refused");
    try {
      LOG.info("refused {}: {}", body.reason(), logDetail);
    } finally {
      MDC.remove("outcome");
    }
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header("Cache-Control", "no-store")
        .entity(body)
        .build();
  }

  /** 400 with every field-level problem. */
  public static final class InvalidRequest implements ExceptionMapper<InvalidRequestException> {
    private final SignatureMetrics metrics;

    public InvalidRequest(SignatureMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public Response toResponse(InvalidRequestException e) {
      return answer(
          metrics,
          400,
          new ErrorResponse("invalid request", "INVALID_REQUEST", e.errors()),
          e.errors().toString());
    }
  }

  /** 403: authenticated, but not allowed this issuer, typ or purpose. */
  public static final class NotAllowed implements ExceptionMapper<CallerNotAllowedException> {
    private final SignatureMetrics metrics;

    public NotAllowed(SignatureMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public Response toResponse(CallerNotAllowedException e) {
      return answer(
          metrics, 403, ErrorResponse.of(e.getMessage(), "CALLER_NOT_ALLOWED"), e.getMessage());
    }
  }

  /** 409: the purchase already has a receipt for other claims. */
  public static final class Conflict implements ExceptionMapper<PurchaseConflictException> {
    private final SignatureMetrics metrics;

    public Conflict(SignatureMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public Response toResponse(PurchaseConflictException e) {
      return answer(
          metrics, 409, ErrorResponse.of(e.getMessage(), "PURCHASE_CONFLICT"), e.getMessage());
    }
  }
}
