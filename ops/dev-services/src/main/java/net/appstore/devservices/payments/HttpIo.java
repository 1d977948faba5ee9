package net.appstore.devservices.payments;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading requests and writing JSON responses on the JDK's HTTP server. */
final class HttpIo {

  /** Larger than any legitimate request: metadata is bounded to about 25 KB. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private HttpIo() {}

  /**
   * The body as a JSON object; an empty body is {@code {}} when {@code emptyAllowed}.
   *
   * @throws ApiException 400 when it is not one JSON object, 413 when too large
   */
  static Map<String, Object> jsonObject(HttpExchange exchange, boolean emptyAllowed)
      throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw ApiException.bodyTooLarge(MAX_BODY_BYTES);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank() && emptyAllowed) {
      return Map.of();
    }
    // checked here because the JSON parser reads "[]" as an empty object
    if (!text.strip().startsWith("{")) {
      throw ApiException.invalid(
          "body_invalid", "body", "the request body must be one JSON object");
    }
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException | RuntimeException e) {
      throw ApiException.invalid(
          "body_invalid", "body", "the request body must be one JSON object: " + e.getMessage());
    }
  }

  /**
   * The URL-decoded query parameters.
   *
   * @throws ApiException 400 when a parameter is repeated
   */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (query.putIfAbsent(name, value) != null) {
        throw ApiException.invalid(
            "parameter_invalid", name, "query parameter " + name + " is given more than once");
      }
    }
    return query;
  }

  /** Writes the response and closes the exchange. */
  static void send(
      HttpExchange exchange, int status, Map<String, ?> body, Map<String, String> headers)
      throws IOException {
    try (exchange) {
      byte[] bytes = (JSONObjectUtils.toJSONString(body) + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      headers.forEach(exchange.getResponseHeaders()::set);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
