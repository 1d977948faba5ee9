package net.appstore.service.accesslog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server on a random local port that answers every request the way the services do (an
 * {@code X-Request-Id} response header, a small body; 404 under {@code /missing}) and logs it with
 * the given request log. Requests are sent over a plain socket so that every header is the test's
 * choice.
 */
final class LoggedJettyServer implements AutoCloseable {

  static final String BODY = "{\"valid\":true}";

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  LoggedJettyServer(RequestLog log) throws Exception {
    server.addConnector(connector);
    server.setRequestLog(log);
    server.setHandler(new Answering());
    server.start();
  }

  /** Sends a raw HTTP/1.1 request and returns the whole response. */
  String send(String method, String target, String extraHeaders, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
      String request =
          method
              + " "
              + target
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
              + extraHeaders
              + "Content-Length: "
              + body.getBytes(StandardCharsets.UTF_8).length
              + "\r\n\r\n"
              + body;
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private static final class Answering extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = request.getHttpURI().getPath();
      response.getHeaders().put("X-Request-Id", "req-" + path.length() + "-abcdefgh");
      response.getHeaders().put("Content-Type", "application/json");
      response.setStatus(path.startsWith("/missing") ? 404 : 200);
      response.write(true, StandardCharsets.UTF_8.encode(BODY), callback);
      return true;
    }
  }
}
