package net.appstore.service;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;

/**
 * Dockerflow {@code /__heartbeat__}: runs every health check (each exercises its real dependency
 * under its own time bound) and answers 200 when all pass, 503 otherwise, with each check's
 * verdict. Used as the readiness probe: a signer whose HSM is gone is not ready.
 */
final class HeartbeatServlet extends HttpServlet {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final transient HealthCheckRegistry checks;

  HeartbeatServlet(HealthCheckRegistry checks) {
    this.checks = checks;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    SortedMap<String, HealthCheck.Result> results = checks.runHealthChecks();
    boolean healthy = results.values().stream().allMatch(HealthCheck.Result::isHealthy);
    ObjectNode body = JSON.createObjectNode();
    body.put("status", healthy ? "ok" : "error");
    ObjectNode details = body.putObject("checks");
    for (Map.Entry<String, HealthCheck.Result> e : results.entrySet()) {
      ObjectNode check = details.putObject(e.getKey());
      check.put("healthy", e.getValue().isHealthy());
      if (e.getValue().getMessage() != null) {
        check.put("message", e.getValue().getMessage());
      }
    }
    resp.setStatus(healthy ? 200 : 503);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    JSON.writeValue(resp.getOutputStream(), body);
  }
}
