package net.appstore.signer.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import net.appstore.signer.api.ErrorResponse;

/** Writes an {@link ErrorResponse} from a servlet filter, outside Jersey. */
final class JsonErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonErrors() {}

  static void write(HttpServletResponse response, int status, String error, String reason)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    JSON.writeValue(response.getOutputStream(), ErrorResponse.of(error, reason));
  }
}
