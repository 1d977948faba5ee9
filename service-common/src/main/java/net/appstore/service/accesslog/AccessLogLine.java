package net.appstore.service.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/**
 * One access-log line, the same fields, order and value formats as Dropwizard's {@code access-json}
 * layout with its default includes (pinned by {@code AccessLogLineTest} against that layout):
 * {@code timestamp} (epoch ms when the line is made), {@code contentLength} (response bytes
 * written), {@code method}, {@code protocol}, {@code remoteAddress}, {@code requestTime} (ms),
 * {@code uri} (path only, no query), {@code responseHeaders} (only the configured ones, when
 * present), {@code status}, {@code userAgent} ({@code "-"} when not sent). Fields absent from the
 * request are left out, as that layout does. {@code remoteUser} is never written: no service
 * authenticates at the servlet level, so the old layout never wrote it either.
 *
 * <p>Read straight from Jetty's request and response, never through request attributes (which makes
 * Jetty compute its TLS attributes) and never a body, a query string or a request header other than
 * User-Agent. Stateless and thread-safe.
 */
final class AccessLogLine {

  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

  /** What logback-access writes for a header the request did not carry. */
  private static final String NOT_SENT = "-";

  private final List<String> responseHeaders;

  AccessLogLine(List<String> responseHeaders) {
    this.responseHeaders = List.copyOf(responseHeaders);
  }

  String format(Request request, Response response, long nowMillis) {
    StringBuilder line = new StringBuilder(256);
    line.append("{\"timestamp\":").append(nowMillis);
    line.append(",\"contentLength\":").append(Response.getContentBytesWritten(response));
    string(line, "method", request.getMethod());
    string(line, "protocol", request.getConnectionMetaData().getProtocol());
    string(line, "remoteAddress", Request.getRemoteAddr(request));
    line.append(",\"requestTime\":").append(NanoTime.millisSince(request.getBeginNanoTime()));
    string(line, "uri", request.getHttpURI().getPath());
    appendResponseHeaders(line, response);
    line.append(",\"status\":").append(response.getStatus());
    String userAgent = request.getHeaders().get(HttpHeader.USER_AGENT);
    string(line, "userAgent", userAgent != null ? userAgent : NOT_SENT);
    return line.append('}').toString();
  }

  private void appendResponseHeaders(StringBuilder line, Response response) {
    boolean opened = false;
    for (String name : responseHeaders) {
      HttpField field = response.getHeaders().getField(name);
      if (field == null) {
        continue;
      }
      line.append(opened ? "," : ",\"responseHeaders\":{");
      opened = true;
      // The name as the response spelled it, as the old layout wrote it.
      quoted(line, field.getName()).append(':');
      quoted(line, field.getValue());
    }
    if (opened) {
      line.append('}');
    }
  }

  private static void string(StringBuilder line, String field, String value) {
    if (value != null) {
      line.append(",\"").append(field).append("\":");
      quoted(line, value);
    }
  }

  private static StringBuilder quoted(StringBuilder line, String value) {
    return line.append('"').append(JSON.quoteAsString(value)).append('"');
  }
}
