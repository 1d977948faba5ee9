package net.appstore.ops.drills;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The verifier's whole answer to one receipt, as an app sees it: HTTP status, the verdict's status
 * and reason (or the 503's reason) and Retry-After.
 */
public record Verdict(int httpStatus, String status, String reason, String retryAfter) {

  /** {@code POST /v1/verify} with the receipt as the body. */
  public static Verdict of(DrillStack stack, String receipt) throws Exception {
    StackHttp.Reply reply =
        stack
            .https()
            .post(stack.url("VERIFIER_URL", "/v1/verify"), receipt, "Content-Type", "text/plain");
    JsonNode body = reply.body().isEmpty() ? null : reply.json();
    return new Verdict(
        reply.status(),
        body == null ? null : body.path("status").asText(null),
        body == null ? null : body.path("reason").asText(null),
        reply.header("Retry-After"));
  }

  public boolean is(String expectedStatus) {
    return httpStatus == 200 && expectedStatus.equals(status);
  }

  public boolean is(String expectedStatus, String expectedReason) {
    return is(expectedStatus) && expectedReason.equals(reason);
  }

  @Override
  public String toString() {
    return httpStatus == 200
        ? status + (reason == null ? "" : " " + reason)
        : httpStatus + (reason == null ? "" : " " + reason);
  }
}
