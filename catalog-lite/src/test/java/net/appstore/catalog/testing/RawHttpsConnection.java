package net.appstore.catalog.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * One HTTPS connection driven by hand, for load tests that need many requests in flight at once
 * without as many client threads: connect (TLS handshake) first, send a request, read the answer
 * later. HTTP/1.1 with {@code Connection: close}, so the answer ends where the stream does.
 */
public final class RawHttpsConnection implements AutoCloseable {

  private final SSLSocket socket;
  private final String host;

  private RawHttpsConnection(SSLSocket socket, String host) {
    this.socket = socket;
    this.host = host;
  }

  /** Opens the connection and completes the TLS handshake. */
  public static RawHttpsConnection open(URI base) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            TestTls.client().getSocketFactory().createSocket(base.getHost(), base.getPort());
    socket.setSoTimeout(120_000);
    socket.startHandshake();
    return new RawHttpsConnection(socket, base.getHost() + ":" + base.getPort());
  }

  public void sendGet(String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads the whole answer. */
  public Answer readAnswer() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.ISO_8859_1);
    int headerEnd = text.indexOf("\r\n\r\n");
    String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String etag = null;
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("etag:")) {
        etag = line.substring(5).strip();
      }
    }
    return new Answer(status, Optional.ofNullable(etag));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Status and ETag of an answer. */
  public record Answer(int status, Optional<String> etag) {}
}
