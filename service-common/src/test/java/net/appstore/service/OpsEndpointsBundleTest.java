package net.appstore.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import net.appstore.service.accesslog.JsonAccessLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class OpsEndpointsBundleTest {

  static final AtomicBoolean DEPENDENCY_UP = new AtomicBoolean(true);

  public static class TestApp extends Application<Configuration> {
    @Override
    public void initialize(Bootstrap<Configuration> bootstrap) {
      bootstrap.addBundle(new OpsEndpointsBundle("test-service"));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
      environment
          .healthChecks()
          .register(
              "dependency",
              new HealthCheck() {
                @Override
                protected Result check() {
                  return DEPENDENCY_UP.get() ? Result.healthy() : Result.unhealthy("it is gone");
                }
              });
      environment.jersey().register(new Resource());
    }
  }

  @Path("/unavailable")
  public static class Resource {
    @GET
    public Response get() {
      throw new ServiceUnavailableException("HSM_UNAVAILABLE", "no token", Duration.ofMillis(1500));
    }

    /** Refuses without reading the body, as an authentication check does. */
    @POST
    public Response refuse() {
      return Response.status(401).build();
    }

    @POST
    @Path("/echo")
    public String echo(String body) {
      return body;
    }
  }

  static final DropwizardAppExtension<Configuration> APP =
      new DropwizardAppExtension<>(
          TestApp.class, ResourceHelpers.resourceFilePath("ops-bundle-test.yml"));

  @AfterEach
  void restore() {
    DEPENDENCY_UP.set(true);
  }

  private String admin(String path) {
    return "http://localhost:" + APP.getAdminPort() + path;
  }

  @Test
  void heartbeat_allChecksHealthy_answers200() {
    Response response = APP.client().target(admin("/__heartbeat__")).request().get();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.readEntity(String.class)).contains("\"dependency\"").contains("\"ok\"");
  }

  @Test
  void heartbeat_dependencyDown_answers503WithTheCheckMessage() {
    DEPENDENCY_UP.set(false);
    Response response = APP.client().target(admin("/__heartbeat__")).request().get();
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.readEntity(String.class)).contains("it is gone");
  }

  @Test
  void lbheartbeat_dependencyDown_stillAnswers200() {
    DEPENDENCY_UP.set(false);
    assertThat(APP.client().target(admin("/__lbheartbeat__")).request().get().getStatus())
        .isEqualTo(200);
  }

  @Test
  void version_answersServiceName() {
    String body = APP.client().target(admin("/__version__")).request().get(String.class);
    assertThat(body).contains("\"name\":\"test-service\"");
  }

  @Test
  void prometheus_exposesDropwizardMetricsInTextFormat() {
    String body = APP.client().target(admin("/metrics/prometheus")).request().get(String.class);
    assertThat(body).contains("# TYPE").contains("MutableServletContextHandler_requests");
  }

  @Test
  void prometheus_jsonAccessLogConfigured_exposesItsDroppedLinesCounter() {
    APP.client()
        .target("http://localhost:" + APP.getLocalPort() + "/unavailable")
        .request()
        .get()
        .close();
    String body = APP.client().target(admin("/metrics/prometheus")).request().get(String.class);
    assertThat(body).contains("requestlog_lines_dropped 0.0");
    // Jetty manages it as a bean: started with the server, so its writer thread runs.
    assertThat(APP.getEnvironment().getApplicationContext().getServer().getRequestLog())
        .isInstanceOfSatisfying(JsonAccessLog.class, log -> assertThat(log.isStarted()).isTrue());
  }

  @Test
  void requestId_plausibleIdOffered_isEchoed() {
    Response response =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + "/unavailable")
            .request()
            .header("X-Request-Id", "req-12345678")
            .get();
    assertThat(response.getHeaderString("X-Request-Id")).isEqualTo("req-12345678");
  }

  @Test
  void requestId_headerInjectionAttempt_isReplacedByAFreshId() {
    Response response =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + "/unavailable")
            .request()
            .header("X-Request-Id", "x\" onerror=1")
            .get();
    assertThat(response.getHeaderString("X-Request-Id")).hasSize(36).doesNotContain("\"");
  }

  @Test
  void serviceUnavailable_answers503WithRetryAfterRoundedUpAndReason() {
    Response response =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + "/unavailable")
            .request()
            .get();
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("2");
    assertThat(response.readEntity(String.class)).contains("HSM_UNAVAILABLE");
  }

  @Test
  void refusalOfARequestWithABody_saysConnectionClose() {
    Response response =
        APP.client()
            .target("http://localhost:" + APP.getLocalPort() + "/unavailable")
            .request()
            .post(Entity.text("x".repeat(100_000)));
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeaderString("Connection")).isEqualToIgnoringCase("close");
  }

  @Test
  void refusalWithoutABody_andSuccessWithABody_keepTheConnection() {
    String base = "http://localhost:" + APP.getLocalPort() + "/unavailable";
    Response refused = APP.client().target(base).request().get();
    Response echoed = APP.client().target(base + "/echo").request().post(Entity.text("hello"));
    assertThat(refused.getStatus()).isEqualTo(503);
    assertThat(refused.getHeaderString("Connection")).isNull();
    assertThat(echoed.readEntity(String.class)).isEqualTo("hello");
    assertThat(echoed.getHeaderString("Connection")).isNull();
  }
}
