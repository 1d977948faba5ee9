package net.appstore.catalog.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.appstore.testkit.bench.LoadTls;

/**
 * The leanest HTTPS/1.1 client that keeps one connection alive: a request is pre-encoded bytes, the
 * answer is read by Content-Length. So the load generator, sharing the machine's cores with the
 * servers, costs as little as possible, and the same for nginx and the catalog. Adapted from the
 * verifier benchmark's client, with {@code GET} and chunked answers. Not thread-safe: one per
 * benchmark thread.
 */
final class KeepAliveClient implements AutoCloseable {

  private final SSLSocket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String hostHeader;

  KeepAliveClient(SSLContext tls, URI uri) throws IOException {
    socket = LoadTls.connect(tls, uri);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16384);
    hostHeader = uri.getHost() + ":" + uri.getPort();
  }

  /** The bytes of a {@code GET pathAndQuery} (no compression asked for). */
  byte[] get(String pathAndQuery) {
    return ("GET "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: "
            + hostHeader
            + "\r\nAccept: application/json\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
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
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.regionMatches(true, 0, "Content-Length", 0, colon)) {
        length = Integer.parseInt(header.substring(colon + 1).trim());
      } else if (colon > 0 && header.regionMatches(true, 0, "Transfer-Encoding", 0, colon)) {
        chunked = header.substring(colon + 1).trim().equalsIgnoreCase("chunked");
      }
    }
    if (chunked) {
      return new String(chunkedBody(), StandardCharsets.UTF_8);
    }
    if (length < 0) {
      throw new IOException("no Content-Length");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Jersey streams answers larger than its buffer (8 KB) in chunks. */
  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(semicolon < 0 ? sizeLine.trim() : sizeLine.substring(0, semicolon), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers: none expected, skipped
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      line();
    }
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
