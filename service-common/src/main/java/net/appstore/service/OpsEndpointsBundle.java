package net.appstore.service;

import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.servlet.jakarta.exporter.MetricsServlet;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import net.appstore.service.accesslog.JsonAccessLogFactory;

/**
 * What every service of the store exposes for operations, the same way everywhere: Dockerflow
 * endpoints on the admin port ({@code /__heartbeat__} runs the health checks, {@code
 * /__lbheartbeat__} only says the process answers, {@code /__version__}), metrics in Prometheus
 * text format at {@code /metrics/prometheus} on the admin port, and a request id on every
 * application request (header {@code X-Request-Id}, log field {@code request_id}). With {@code
 * server.requestLog.type: json-access}, access-log lines dropped on a full queue are counted in
 * {@code requestlog.lines.dropped}.
 */
public final class OpsEndpointsBundle implements ConfiguredBundle<Configuration> {

  private final String serviceName;

  public OpsEndpointsBundle(String serviceName) {
    this.serviceName = serviceName;
  }

  @Override
  public void initialize(Bootstrap<?> bootstrap) {}

  @Override
  public void run(Configuration configuration, Environment environment) {
    var admin = environment.admin();
    admin
        .addServlet("heartbeat", new HeartbeatServlet(environment.healthChecks()))
        .addMapping("/__heartbeat__");
    admin.addServlet("lbheartbeat", new LbHeartbeatServlet()).addMapping("/__lbheartbeat__");
    admin
        .addServlet("version", new VersionServlet(ServiceVersion.of(serviceName, getClass())))
        .addMapping("/__version__");

    CollectorRegistry registry = new CollectorRegistry();
    registry.register(new DropwizardExports(environment.metrics()));
    admin.addServlet("prometheus", new MetricsServlet(registry)).addMapping("/metrics/prometheus");

    environment
        .servlets()
        .addFilter("request-id", new RequestIdFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    environment
        .servlets()
        .addFilter("refusal-closes-connection", new RefusalClosesConnectionFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    environment.jersey().register(new ServiceUnavailableExceptionMapper());
    countDroppedAccessLogLines(configuration, environment);
  }

  /** Runs before the server (and its request log) is built, so the counter is in place. */
  private static void countDroppedAccessLogLines(
      Configuration configuration, Environment environment) {
    if (configuration.getServerFactory() instanceof AbstractServerFactory server
        && server.getRequestLogFactory() instanceof JsonAccessLogFactory accessLog) {
      accessLog.countDropsIn(environment.metrics());
    }
  }
}
