package net.appstore.verifier.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jersey.errors.ErrorMessage;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.service.ServiceUnavailableExceptionMapper;
import net.appstore.verifier.api.Verdict;
import net.appstore.verifier.core.ReceiptVerification;

/**
 * {@code POST /v1/verify}: the receipt as the body (text, or JSON {@code {"receipt": ...}}) → 200
 * with a {@link Verdict}. A body over the size limit gets 413 with {@code {"status": "invalid",
 * "reason": "TOO_LARGE"}}, unread. 503 with {@code Retry-After} when keys or purchases cannot be
 * checked now. Answers are never cacheable: a refund changes them.
 *
 * <p>A plain servlet rather than a Jersey resource because this one fixed route is the service's
 * whole hot path, and Jersey's routing, injection and entity writers cost more CPU than the
 * verification itself (docs/BENCHMARKS.md, "Verifier"). It answers everything around a verdict
 * exactly as the resource did: 405 with {@code Allow} for other methods, 406 to an Accept header
 * that rules JSON out, 400 for an unparsable Content-Type, Dropwizard's error bodies for those, the
 * shared 503 mapper, Dropwizard's logged 500. The request id and CORS filters run before it, and
 * Jetty's request log after, as for any request. Thread-safe.
 */
public final class VerifyServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final String ALLOW = "POST,OPTIONS";
  private static final String JSON = "application/json";

  private final transient ReceiptVerification verification;
  private final transient ReceiptBody bodies;
  private final transient VerdictBodies verdicts;
  private final transient JaxRsAnswers fallback;
  private final transient byte[] methodNotAllowed;
  private final transient byte[] notAcceptable;

  public VerifyServlet(ReceiptVerification verification, int maxBodyBytes, ObjectMapper json) {
    this.verification = verification;
    this.bodies = new ReceiptBody(maxBodyBytes);
    this.fallback = new JaxRsAnswers(json);
    this.verdicts = new VerdictBodies(fallback);
    this.methodNotAllowed = fallback.encode(new ErrorMessage(405, "HTTP 405 Method Not Allowed"));
    this.notAcceptable = fallback.encode(new ErrorMessage(406, "HTTP 406 Not Acceptable"));
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    switch (request.getMethod()) {
      case "POST" -> verify(request, response);
      case "OPTIONS" -> {
        // A CORS preflight never gets here (OpenCorsFilter answers it); this is plain OPTIONS.
        response.setHeader("Allow", ALLOW);
        write(response, 200, "text/plain", "POST, OPTIONS".getBytes(JaxRsAnswers.ASCII));
      }
      default -> {
        response.setHeader("Allow", ALLOW);
        write(response, 405, JSON, methodNotAllowed);
      }
    }
  }

  private void verify(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String contentType = request.getContentType();
    if (!MediaTypes.isWellFormed(contentType)) {
      response.sendError(400);
      return;
    }
    if (!MediaTypes.acceptsJson(request.getHeaders("Accept"))) {
      write(response, 406, JSON, notAcceptable);
      return;
    }
    try {
      answer(response, decide(request, contentType));
    } catch (ServiceUnavailableException e) {
      fallback.write(new ServiceUnavailableExceptionMapper().toResponse(e), response);
    } catch (RuntimeException e) {
      fallback.write(new LoggingExceptionMapper<Throwable>() {}.toResponse(e), response);
    }
  }

  /** The status and verdict for this request; reads at most the body limit. */
  private Answer decide(HttpServletRequest request, String contentType) throws IOException {
    String token;
    try {
      token = bodies.token(contentType, request.getContentLengthLong(), request.getInputStream());
    } catch (ReceiptBody.TooLargeException e) {
      return new Answer(413, verification.refuse(ReceiptBody.tooLarge(e).reason()));
    } catch (ReceiptRejectedException e) {
      return new Answer(200, verification.refuse(e.reason()));
    }
    return new Answer(200, verification.verify(token));
  }

  private void answer(HttpServletResponse response, Answer answer) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    write(response, answer.status(), JSON, verdicts.of(answer.verdict()));
  }

  private static void write(HttpServletResponse response, int status, String type, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(type);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private record Answer(int status, Verdict verdict) {}
}
