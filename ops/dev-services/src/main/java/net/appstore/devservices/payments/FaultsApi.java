package net.appstore.devservices.payments;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin endpoint that switches faults at runtime; never subject to the faults itself.
 *
 * <ul>
 *   <li>{@code GET /__faults__}: the state of every fault;
 *   <li>{@code POST /__faults__/NAME} with body {@code on} or {@code off}; {@code slow} takes the
 *       query parameter {@code latency_ms}, {@code timeout} takes {@code hold_ms}; without it they
 *       use the default given at start;
 *   <li>{@code DELETE /__faults__}: every fault off.
 * </ul>
 *
 * Each answers the state of every fault. Thread-safe.
 */
final class FaultsApi implements HttpHandler {

  static final String PATH = "/__faults__";

  private final Faults faults;
  private final EventLog log;

  FaultsApi(Faults faults, EventLog log) {
    this.faults = faults;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
      HttpIo.send(exchange, 200, faults.toJson(), Map.of());
    } catch (ApiException e) {
      HttpIo.send(exchange, e.status(), e.toJson(), Map.of());
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals(PATH) || path.equals(PATH + "/")) {
      switch (method) {
        case "GET" -> {
          return;
        }
        case "DELETE" -> {
          faults.clear();
          log.event("faults: all off");
          return;
        }
        default -> throw ApiException.methodNotAllowed("GET, DELETE");
      }
    }
    String name = path.startsWith(PATH + "/") ? path.substring(PATH.length() + 1) : "";
    Fault fault =
        Fault.byId(name)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no fault \""
                            + name
                            + "\"; known: "
                            + String.join(
                                ", ", Arrays.stream(Fault.values()).map(Fault::id).toList())));
    if (!method.equals("POST")) {
      throw ApiException.methodNotAllowed("POST");
    }
    String state =
        new String(exchange.getRequestBody().readNBytes(16), StandardCharsets.UTF_8)
            .strip()
            .toLowerCase(Locale.ROOT);
    if (!state.equals("on") && !state.equals("off")) {
      throw ApiException.invalid("parameter_invalid", "body", "the body must be on or off");
    }
    Map<String, String> query = HttpIo.query(exchange);
    String delayParam =
        switch (fault) {
          case SLOW -> "latency_ms";
          case TIMEOUT -> "hold_ms";
          default -> null;
        };
    for (String param : query.keySet()) {
      if (!param.equals(delayParam)) {
        throw ApiException.invalid(
            "parameter_unknown", param, "fault " + name + " takes no parameter " + param);
      }
    }
    Optional<Duration> delay =
        Optional.ofNullable(query.get(delayParam)).map(v -> millis(delayParam, v));
    if (state.equals("off")) {
      faults.off(fault);
    } else if (delay.isPresent()) {
      faults.on(fault, delay.get());
    } else {
      faults.on(fault);
    }
    log.event(
        "fault "
            + name
            + " "
            + state
            + delay.map(d -> " (" + delayParam + "=" + d.toMillis() + ")").orElse(""));
  }

  private static Duration millis(String param, String value) {
    try {
      long ms = Long.parseLong(value);
      if (ms >= 0 && ms <= Faults.MAX_DELAY.toMillis()) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(
        "parameter_invalid",
        param,
        param + " must be an integer from 0 to " + Faults.MAX_DELAY.toMillis());
  }
}
