package net.appstore.verifier.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The leanest HTTPS/1.1 client that keeps one connection alive: a request is pre-encoded bytes, the
 * answer is read by Content-Length. So the load generator, sharing the machine's cores with the
 * service, costs as little as possible. Not thread-safe: one per benchmark thread.
 */
final class KeepAliveClient implements AutoCloseable {

  private final SSLSocket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String hostHeader;

  KeepAliveClient(SSLContext tls, URI uri) throws IOException {
    socket = (SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setTcpNoDelay(true);
    socket.startHandshake();
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 8192);
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

  /** Sends a pre-encoded request; returns the answer's body (status 200 required). */
  String send(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    String statusLine = line();
    if (!statusLine.startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected answer: " + statusLine);
    }
    int length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.regionMatches(true, 0, "Content-Length", 0, colon)) {
        length = Integer.parseInt(header.substring(colon + 1).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length");
    }
    byte[] body = in.readNBytes(length);
    return new String(body, StandardCharsets.US_ASCII);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
