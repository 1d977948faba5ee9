package net.appstore.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Dockerflow {@code /__version__}. */
final class VersionServlet extends HttpServlet {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final transient ServiceVersion version;

  VersionServlet(ServiceVersion version) {
    this.version = version;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    JSON.writeValue(resp.getOutputStream(), version);
  }
}
