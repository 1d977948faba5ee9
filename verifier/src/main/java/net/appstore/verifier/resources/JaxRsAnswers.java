package net.appstore.verifier.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a JAX-RS {@link Response} built by one of the service's exception mappers (the shared 503,
 * Dropwizard's logged 500) to a servlet response, its entity as JSON: so {@link VerifyServlet}
 * answers its rare cases with the very code and shape the Jersey resource answered them with.
 * Thread-safe.
 */
final class JaxRsAnswers {

  static final Charset ASCII = StandardCharsets.US_ASCII;

  private final ObjectMapper json;

  JaxRsAnswers(ObjectMapper json) {
    this.json = json;
  }

  void write(Response answer, HttpServletResponse response) throws IOException {
    for (Map.Entry<String, List<String>> header : answer.getStringHeaders().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Content-Type")) {
        for (String value : header.getValue()) {
          response.addHeader(header.getKey(), value);
        }
      }
    }
    MediaType type = answer.getMediaType();
    byte[] body = answer.hasEntity() ? encode(answer.getEntity()) : new byte[0];
    response.setStatus(answer.getStatus());
    if (type != null) {
      response.setContentType(type.toString());
    }
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  byte[] encode(Object entity) {
    try {
      return json.writeValueAsBytes(entity);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
