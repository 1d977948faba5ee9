package net.appstore.service;

import java.time.Duration;

/**
 * A temporary failure of a dependency (HSM, database, another service): the client should retry
 * after {@link #retryAfter()}. Answered as 503 with {@code Retry-After}, never as a 500 and never
 * as a verdict about the client's input.
 */
public class ServiceUnavailableException extends RuntimeException {

  private final String reason;
  private final transient Duration retryAfter;

  public ServiceUnavailableException(String reason, String message, Duration retryAfter) {
    this(reason, message, retryAfter, null);
  }

  public ServiceUnavailableException(
      String reason, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  /** A stable code such as {@code HSM_UNAVAILABLE}, for clients and metrics. */
  public String reason() {
    return reason;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
