package net.appstore.verifier.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.appstore.testkit.bench.LoadTls;

/**
 * The leanest HTTPS/1.1 client that keeps one connection alive: a request is pre-encoded bytes, the
 * answer is read by Content-Length into one reused buffer and compared with the expected body. So
 * the load generator, sharing the machine's cores with the service, costs as little as possible.
 * Not thread-safe: one per benchmark thread.
 */
final class KeepAliveClient implements AutoCloseable {

  private final SSLSocket socket;
  private final OutputStream out;
  private static final byte[] STATUS_200 = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH =
      "content-length:".getBytes(StandardCharsets.US_ASCII);

  private final InputStream in;
  private final String hostHeader;
  private byte[] buffer = new byte[4096];
  private int filled;

  KeepAliveClient(SSLContext tls, URI uri) throws IOException {
    socket = LoadTls.connect(tls, uri);
    out = socket.getOutputStream();
    in = socket.getInputStream();
    hostHeader = uri.getHost() + ":" + uri.getPort();
  }

  /** The bytes of a {@code POST path} with this body as {@code text/plain}. */
  byte[] post(String path, String body) {
    byte[] content = body.getBytes(StandardCharsets.US_ASCII);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + hostHeader
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + content.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + content.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(content, 0, request, headBytes.length, content.length);
    return request;
  }

  /**
   * Sends a pre-encoded request and reads the answer; true if it is a 200 whose body is exactly
   * {@code expectedBody}. The answer is parsed in place in one reused buffer (status line, then
   * Content-Length among the headers, then the body compared byte by byte), so a request costs the
   * client no strings and no per-byte stream calls.
   *
   * @throws IOException if the answer is not HTTP/1.1 with a Content-Length, or the connection ends
   */
  boolean answersWith(byte[] request, byte[] expectedBody) throws IOException {
    out.write(request);
    out.flush();
    int headEnd = readHead();
    int length = contentLength(headEnd);
    int have = filled - headEnd;
    while (have < length) {
      have += fill();
    }
    boolean ok =
        startsWith(STATUS_200, 0)
            && length == expectedBody.length
            && Arrays.equals(buffer, headEnd, headEnd + length, expectedBody, 0, length);
    // Keep whatever followed this answer (nothing, with one request in flight at a time).
    int used = headEnd + length;
    System.arraycopy(buffer, used, buffer, 0, filled - used);
    filled -= used;
    return ok;
  }

  /** Reads until the blank line that ends the head; returns the index just past it. */
  private int readHead() throws IOException {
    int scanned = 0;
    while (true) {
      for (int i = Math.max(3, scanned); i < filled; i++) {
        if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n') {
          return i + 1;
        }
      }
      scanned = filled;
      fill();
    }
  }

  private int contentLength(int headEnd) throws IOException {
    for (int i = 0; i + CONTENT_LENGTH.length < headEnd; i++) {
      if (buffer[i] == '\n' && regionMatchesIgnoreCase(i + 1, CONTENT_LENGTH)) {
        int value = 0;
        for (int d = i + 1 + CONTENT_LENGTH.length; buffer[d] != '\r'; d++) {
          if (buffer[d] >= '0' && buffer[d] <= '9') {
            value = value * 10 + (buffer[d] - '0');
          }
        }
        return value;
      }
    }
    throw new IOException("no Content-Length");
  }

  private int fill() throws IOException {
    if (filled == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int read = in.read(buffer, filled, buffer.length - filled);
    if (read < 0) {
      throw new IOException("connection closed");
    }
    filled += read;
    return read;
  }

  private boolean startsWith(byte[] prefix, int at) {
    return filled - at >= prefix.length
        && Arrays.equals(buffer, at, at + prefix.length, prefix, 0, prefix.length);
  }

  private boolean regionMatchesIgnoreCase(int at, byte[] lowerCase) {
    for (int k = 0; k < lowerCase.length; k++) {
      if (Character.toLowerCase(buffer[at + k]) != lowerCase[k]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
