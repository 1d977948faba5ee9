package net.appstore.service.accesslog;

import com.codahale.metrics.Counter;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Jetty request log writing one {@link AccessLogLine} per request through an {@link
 * AsyncLineWriter}. A Jetty-managed bean: the server starts it, and stops it after the connectors,
 * so the last requests' lines are still written. Thread-safe.
 */
public final class JsonAccessLog extends AbstractLifeCycle implements RequestLog {

  private static final long STOP_WAIT_MILLIS = 2_000;

  private final AccessLogLine line;
  private final AsyncLineWriter writer;
  private final Counter dropped;

  JsonAccessLog(
      String name,
      List<String> responseHeaders,
      int queueCapacity,
      OutputStream out,
      Counter dropped) {
    this.line = new AccessLogLine(responseHeaders);
    this.dropped = dropped;
    this.writer = new AsyncLineWriter(name + "-access-log", queueCapacity, out, dropped);
  }

  @Override
  public void log(Request request, Response response) {
    try {
      writer.offer(line.format(request, response, System.currentTimeMillis()));
    } catch (RuntimeException e) {
      // A request log must never fail the request it describes; the line is lost, and counted.
      dropped.inc();
    }
  }

  @Override
  protected void doStart() {
    writer.start();
  }

  @Override
  protected void doStop() throws InterruptedException {
    writer.stop(STOP_WAIT_MILLIS);
  }
}
