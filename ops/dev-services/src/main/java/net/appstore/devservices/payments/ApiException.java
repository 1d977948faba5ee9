package net.appstore.devservices.payments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the gateway refuses, with the HTTP status and the Stripe-like error body it answers:
 * {@code {"error": {"type", "code", "message", "param"?, ...}}}. Clients branch on {@code code};
 * {@code message} is for people.
 */
final class ApiException extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;
  private final Map<String, Object> details;

  private ApiException(
      int status, String type, String code, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
    this.details = details;
  }

  /** 400: a parameter is missing, malformed or not allowed; fix the request. */
  static ApiException invalid(String code, String param, String message) {
    return new ApiException(400, "invalid_request_error", code, message, Map.of("param", param));
  }

  /** 404: no such charge (or no such path). */
  static ApiException notFound(String message) {
    return new ApiException(404, "invalid_request_error", "resource_missing", message, Map.of());
  }

  /** 405 for a path that exists. */
  static ApiException methodNotAllowed(String allowed) {
    return new ApiException(
        405,
        "invalid_request_error",
        "method_not_allowed",
        "use " + allowed,
        Map.of("allowed", allowed));
  }

  /** 409: the charge is not in a state that allows the request. */
  static ApiException stateConflict(String code, String message, Map<String, Object> details) {
    return new ApiException(409, "invalid_request_error", code, message, details);
  }

  /** 422: the idempotency key was used before for a different request. */
  static ApiException idempotencyKeyReused(String message) {
    return new ApiException(422, "idempotency_error", "idempotency_key_reused", message, Map.of());
  }

  /** 413: the body is larger than any legitimate request. */
  static ApiException bodyTooLarge(int limit) {
    return new ApiException(
        413,
        "invalid_request_error",
        "body_too_large",
        "request body larger than " + limit + " bytes",
        Map.of());
  }

  /** 503 of the {@code down} fault: the request was not processed and nothing was recorded. */
  static ApiException down() {
    return new ApiException(
        503,
        "api_error",
        "service_unavailable",
        "the payment gateway is down (simulated); nothing was processed",
        Map.of());
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Map<String, Object> toJson() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    error.put("code", code);
    error.put("message", getMessage());
    error.putAll(details);
    return Map.of("error", error);
  }
}
