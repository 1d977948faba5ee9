package net.appstore.devservices.payments;

import java.util.Arrays;
import java.util.Optional;

/**
 * A fault the simulated gateway can inject. Whatever the fault, the ledger records exactly what was
 * charged: it is the truth a client reconciles against, never the responses.
 */
public enum Fault {
  /** New charges are recorded as {@code declined}; nothing is charged. */
  DECLINE("decline"),
  /** Every {@code /v1} request waits for the configured latency before it is processed. */
  SLOW("slow"),
  /**
   * Every {@code POST /v1} request is processed and recorded, then its response is held for the
   * configured time, longer than any sane client timeout: the client times out, the money moved.
   */
  TIMEOUT("timeout"),
  /** Every {@code /v1} request answers 503 without being processed; nothing is recorded. */
  DOWN("down"),
  /**
   * Every {@code POST /v1} request is processed and recorded, then the connection is closed without
   * any response.
   */
  LOST_RESPONSE("lost-response");

  private final String id;

  Fault(String id) {
    this.id = id;
  }

  /** The name used on the command line and in the admin API, e.g. {@code lost-response}. */
  public String id() {
    return id;
  }

  public static Optional<Fault> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
