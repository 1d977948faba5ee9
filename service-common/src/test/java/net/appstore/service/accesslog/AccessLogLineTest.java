package net.appstore.service.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.codahale.metrics.Counter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLog;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.assertj.core.data.Offset;
import org.eclipse.jetty.server.RequestLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link AccessLogLine} to the layout it replaces: the same request is logged by Dropwizard's
 * logback-access request log with the {@code access-json} layout as the services configured it
 * ({@code responseHeaders: [X-Request-Id]}) and by {@link JsonAccessLog}; the two lines must be
 * byte for byte the same apart from the two clock readings ({@code timestamp}, {@code
 * requestTime}).
 */
class AccessLogLineTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream oldLines = new ByteArrayOutputStream();
  private final ByteArrayOutputStream newLines = new ByteArrayOutputStream();
  private LogbackAccessRequestLog oldLog;
  private JsonAccessLog newLog;
  private LoggedJettyServer server;

  @BeforeEach
  void start() throws Exception {
    oldLog = oldLayoutWritingTo(oldLines);
    newLog = new JsonAccessLog("test", List.of("X-Request-Id"), 64, newLines, new Counter());
    newLog.start();
    server = new LoggedJettyServer(new RequestLog.Collection(oldLog, newLog));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    newLog.stop();
    oldLog.stop();
  }

  @Test
  void format_getWithQueryAndUserAgent_sameLineAsAccessJsonLayout() throws Exception {
    server.send("GET", "/v1/receipts/verify?token=secret-ish", "User-Agent: store-app/4.2\r\n", "");

    assertSameLines(1);
    Map<?, ?> line = JSON.readValue(lastLine(newLines), Map.class);
    assertThat(line.get("uri")).isEqualTo("/v1/receipts/verify");
    assertThat(line.get("userAgent")).isEqualTo("store-app/4.2");
    assertThat(line.get("protocol")).isEqualTo("HTTP/1.1");
    assertThat(line.get("remoteAddress")).isEqualTo("127.0.0.1");
    assertThat(line.get("status")).isEqualTo(200);
    assertThat(line.get("contentLength")).isEqualTo(LoggedJettyServer.BODY.length());
    assertThat(line.get("responseHeaders")).isEqualTo(Map.of("X-Request-Id", "req-19-abcdefgh"));
    assertThat(line.toString()).doesNotContain("secret-ish");
  }

  @Test
  void format_postWithBodyAndAuthorization_neitherLoggedSameLineAsAccessJsonLayout()
      throws Exception {
    server.send(
        "POST",
        "/v1/receipts/verify",
        "Authorization: Bearer top-secret\r\nContent-Type: application/json\r\n",
        "{\"receipt\":\"eyJhbGciOi.payload.sig\"}");

    assertSameLines(1);
    String line = lastLine(newLines);
    assertThat(line).doesNotContain("top-secret").doesNotContain("eyJhbGciOi");
    assertThat(JSON.readValue(line, Map.class).get("userAgent")).isEqualTo("-");
  }

  @Test
  void format_notFoundWithQuotesAndNonAsciiInHeaders_escapedAsAccessJsonLayoutDoes()
      throws Exception {
    server.send("GET", "/missing/%22x%22", "User-Agent: a \"quoted\" \\ agent \u00e9\r\n", "");

    assertSameLines(1);
    assertThat(JSON.readValue(lastLine(newLines), Map.class).get("status")).isEqualTo(404);
  }

  @Test
  void format_severalRequestsInARow_eachLineMatches() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.send("GET", "/v1/item/" + i, "User-Agent: loop\r\n", "");
    }

    assertSameLines(5);
  }

  /** Lines are compared as sets: Jetty logs a request after answering it, so order may vary. */
  private void assertSameLines(int expected) throws Exception {
    List<String> fresh = WrittenLines.await(newLines, expected);
    List<String> old = WrittenLines.await(oldLines, expected);
    assertThat(fresh.stream().map(AccessLogLineTest::withoutClockReadings).sorted())
        .containsExactlyElementsOf(
            old.stream().map(AccessLogLineTest::withoutClockReadings).sorted().toList());
    for (String line : fresh) {
      Map<?, ?> fields = JSON.readValue(line, Map.class);
      assertThat(((Number) fields.get("timestamp")).longValue())
          .isCloseTo(System.currentTimeMillis(), Offset.offset(60_000L));
      assertThat(((Number) fields.get("requestTime")).longValue()).isNotNegative();
    }
  }

  private static String withoutClockReadings(String line) {
    return line.replaceAll("\"timestamp\":\\d+", "\"timestamp\":T")
        .replaceAll("\"requestTime\":\\d+", "\"requestTime\":R");
  }

  private static String lastLine(ByteArrayOutputStream out) {
    List<String> lines = WrittenLines.of(out);
    return lines.get(lines.size() - 1);
  }

  /** The old configuration: logback-access, layout {@code access-json}, X-Request-Id header. */
  private static LogbackAccessRequestLog oldLayoutWritingTo(ByteArrayOutputStream out) {
    AccessJsonLayoutBaseFactory layoutFactory = new AccessJsonLayoutBaseFactory();
    layoutFactory.setResponseHeaders(Set.of("X-Request-Id"));
    LogbackAccessRequestLog log = new LogbackAccessRequestLog();
    var layout = layoutFactory.build(new LoggerContext(), TimeZone.getTimeZone("UTC"));
    layout.start();
    LayoutWrappingEncoder<IAccessEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(log);
    encoder.setLayout(layout);
    encoder.start();
    OutputStreamAppender<IAccessEvent> appender = new OutputStreamAppender<>();
    appender.setContext(log);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    log.addAppender(appender);
    return log;
  }
}
