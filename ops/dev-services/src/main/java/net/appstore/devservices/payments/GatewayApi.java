package net.appstore.devservices.payments;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway API under {@code /v1}, with the faults applied around it: {@code slow} and {@code
 * down} before a request is processed, {@code lost-response} and {@code timeout} after a {@code
 * POST} was processed. Waiting is done by a timer, not by parked request threads, so a held
 * response costs no thread however many pile up. Thread-safe.
 */
final class GatewayApi implements HttpHandler {

  static final int MAX_KEY_LENGTH = 255;
  private static final Pattern CHARGE = Pattern.compile("/v1/charges/([A-Za-z0-9_]{1,64})");
  private static final Pattern REFUNDS =
      Pattern.compile("/v1/charges/([A-Za-z0-9_]{1,64})/refunds");
  private static final int MAX_REASON_LENGTH = 500;

  /** What to answer; {@code note} goes to the request log. */
  private record Reply(int status, Map<String, ?> body, Map<String, String> headers, String note) {
    static Reply error(ApiException e) {
      Map<String, String> headers =
          e.status() == 503 ? Map.of("Retry-After", "5") : Map.<String, String>of();
      return new Reply(e.status(), e.toJson(), headers, e.code());
    }
  }

  private final ChargeLedger ledger;
  private final Faults faults;
  private final Executor workers;
  private final ScheduledExecutorService timer;
  private final EventLog log;
  private final SecureRandom random = new SecureRandom();

  GatewayApi(
      ChargeLedger ledger,
      Faults faults,
      Executor workers,
      ScheduledExecutorService timer,
      EventLog log) {
    this.ledger = ledger;
    this.faults = faults;
    this.workers = workers;
    this.timer = timer;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String requestId = String.format("req_%016x", random.nextLong());
    Duration latency = faults.isOn(Fault.SLOW) ? faults.slowLatency() : Duration.ZERO;
    if (latency.isZero()) {
      process(exchange, requestId);
    } else {
      later(latency, () -> process(exchange, requestId));
    }
  }

  private void process(HttpExchange exchange, String requestId) {
    Reply reply;
    boolean processed = false;
    try {
      if (faults.isOn(Fault.DOWN)) {
        throw ApiException.down();
      }
      processed = true;
      reply = route(exchange);
    } catch (ApiException e) {
      reply = Reply.error(e);
    } catch (IOException | RuntimeException e) {
      log.error(requestId + " internal error", e);
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", "api_error");
      error.put("code", "internal_error");
      error.put(
          "message",
          "internal error ("
              + e
              + "); the request may or may not have been recorded: look it up by idempotency key");
      reply = new Reply(500, Map.of("error", error), Map.of(), "internal_error");
    }
    boolean postProcessed = processed && "POST".equals(exchange.getRequestMethod());
    deliver(exchange, requestId, reply, postProcessed);
  }

  /** Sends the reply, unless {@code lost-response} or {@code timeout} gets in the way. */
  private void deliver(HttpExchange exchange, String requestId, Reply reply, boolean faultable) {
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("Request-Id", requestId);
    String line =
        requestId
            + " "
            + exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " -> "
            + reply.status()
            + " "
            + reply.note();
    if (faultable && faults.isOn(Fault.LOST_RESPONSE)) {
      log.event(line + " [lost-response: connection closed, no response sent]");
      exchange.close(); // without response headers the JDK server closes the connection
      return;
    }
    if (faultable && faults.isOn(Fault.TIMEOUT)) {
      Duration hold = faults.timeoutHold();
      log.event(line + " [timeout: response held for " + hold.toMillis() + " ms]");
      later(hold, () -> write(exchange, reply, headers));
      return;
    }
    log.event(line);
    write(exchange, reply, headers);
  }

  private void write(HttpExchange exchange, Reply reply, Map<String, String> headers) {
    try {
      HttpIo.send(exchange, reply.status(), reply.body(), headers);
    } catch (IOException e) {
      // the client has gone (it timed out, typically); the ledger already holds the outcome
      exchange.close();
    }
  }

  private void later(Duration delay, Runnable task) {
    timer.schedule(() -> workers.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Reply route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/v1/charges")) {
      return switch (method) {
        case "POST" -> createCharge(exchange);
        case "GET" -> listCharges(exchange);
        default -> throw ApiException.methodNotAllowed("GET, POST");
      };
    }
    Matcher refunds = REFUNDS.matcher(path);
    if (refunds.matches()) {
      if (!method.equals("POST")) {
        throw ApiException.methodNotAllowed("POST");
      }
      return refund(exchange, refunds.group(1));
    }
    Matcher charge = CHARGE.matcher(path);
    if (charge.matches()) {
      if (!method.equals("GET")) {
        throw ApiException.methodNotAllowed("GET");
      }
      return new Reply(
          200,
          ledger
              .charge(charge.group(1))
              .orElseThrow(() -> ApiException.notFound("no such charge: " + charge.group(1)))
              .toJson(),
          Map.of(),
          charge.group(1));
    }
    throw ApiException.notFound("no such endpoint: " + method + " " + path);
  }

  private Reply createCharge(HttpExchange exchange) throws IOException {
    String key = idempotencyKey(exchange);
    ChargeRequest request = ChargeRequest.parse(HttpIo.jsonObject(exchange, false));
    ChargeLedger.Recorded<Charge> recorded =
        ledger.charge(key, request, faults.isOn(Fault.DECLINE), activeFaults());
    Charge charge = recorded.entry();
    return created(
        recorded.replayed(),
        charge.toJson(null),
        charge.id() + " " + charge.status().id() + " " + charge.amount().text() + " key=" + key);
  }

  private Reply refund(HttpExchange exchange, String chargeId) throws IOException {
    String key = idempotencyKey(exchange);
    RequestBody body =
        new RequestBody(HttpIo.jsonObject(exchange, true), Set.of("amount", "reason"));
    ChargeLedger.Recorded<Refund> recorded =
        ledger.refund(
            key,
            chargeId,
            body.optionalString("amount", 32),
            body.optionalString("reason", MAX_REASON_LENGTH),
            activeFaults());
    Refund refund = recorded.entry();
    return created(
        recorded.replayed(), refund.toJson(), refund.id() + " of " + chargeId + " key=" + key);
  }

  private Reply listCharges(HttpExchange exchange) {
    ChargeQuery query = ChargeQuery.parse(HttpIo.query(exchange));
    ChargeLedger.Page page = ledger.list(query);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", page.charges().stream().map(ChargeLedger.ChargeState::toJson).toList());
    body.put("has_more", page.hasMore());
    return new Reply(200, body, Map.of(), page.charges().size() + " charges");
  }

  private static Reply created(boolean replayed, Map<String, Object> json, String note) {
    return new Reply(
        replayed ? 200 : 201,
        json,
        Map.of("Idempotent-Replayed", Boolean.toString(replayed)),
        note + (replayed ? " (replayed)" : ""));
  }

  private static String idempotencyKey(HttpExchange exchange) {
    List<String> values = exchange.getRequestHeaders().get("Idempotency-Key");
    if (values == null || values.isEmpty()) {
      throw ApiException.invalid(
          "parameter_missing",
          "Idempotency-Key",
          "the Idempotency-Key header is required (the store sends its purchase id)");
    }
    String key = values.get(0);
    boolean printable = key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (values.size() > 1 || key.isEmpty() || key.length() > MAX_KEY_LENGTH || !printable) {
      throw ApiException.invalid(
          "parameter_invalid",
          "Idempotency-Key",
          "one Idempotency-Key header of 1 to "
              + MAX_KEY_LENGTH
              + " printable ASCII characters without spaces is required");
    }
    return key;
  }

  private List<String> activeFaults() {
    return faults.active().stream().map(Fault::id).toList();
  }
}
