package net.appstore.service.accesslog;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.request.logging.RequestLogFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.eclipse.jetty.server.RequestLog;

/**
 * {@code server.requestLog} of {@code type: json-access}: the lines of Dropwizard's {@code
 * access-json} layout (see {@link AccessLogLine}) on stdout, built without logback-access, whose
 * per-request event copies every request attribute (docs/BENCHMARKS.md, "Verifier", "Request log").
 *
 * <pre>
 * requestLog:
 *   type: json-access
 *   responseHeaders: [X-Request-Id]
 *   queueSize: 8192
 * </pre>
 *
 * Lines that find the queue full are dropped and counted in {@value #DROPPED_METRIC} once {@link
 * #countDropsIn} has been given the service's registry (the {@code OpsEndpointsBundle} does).
 */
@JsonTypeName("json-access")
public final class JsonAccessLogFactory implements RequestLogFactory<RequestLog> {

  public static final String DROPPED_METRIC = "requestlog.lines.dropped";

  @NotNull private List<String> responseHeaders = List.of();

  @Min(1)
  private int queueSize = 8192;

  private final Counter dropped = new Counter();

  @JsonProperty
  public List<String> getResponseHeaders() {
    return responseHeaders;
  }

  @JsonProperty
  public void setResponseHeaders(List<String> responseHeaders) {
    this.responseHeaders = responseHeaders;
  }

  @JsonProperty
  public int getQueueSize() {
    return queueSize;
  }

  @JsonProperty
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** Registers the dropped-lines counter; call before the server is built. */
  public void countDropsIn(MetricRegistry metrics) {
    metrics.register(DROPPED_METRIC, dropped);
  }

  @Override
  public boolean isEnabled() {
    return true;
  }

  @Override
  public RequestLog build(String name) {
    return new JsonAccessLog(name, responseHeaders, queueSize, System.out, dropped);
  }
}
