package net.appstore.testkit.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Connections for benchmark load generators, which share the machine's cores with the service they
 * load and so must cost it as little as possible: TLS with the server's name checked, Nagle off,
 * handshaken, and TLS records read through a buffer. On a bare socket JSSE reads a record's 5-byte
 * header and then its body, two {@code read} system calls per answer; through the buffer one
 * (docs/BENCHMARKS.md, "Verifier", "Paired target check").
 */
public final class LoadTls {

  private LoadTls() {}

  /** A handshaken keep-alive TLS connection to {@code uri}'s host and port. */
  public static SSLSocket connect(SSLContext tls, URI uri) throws IOException {
    Socket tcp = new BufferedReadSocket();
    tcp.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
    tcp.setTcpNoDelay(true);
    SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket(tcp, uri.getHost(), uri.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** A TCP socket whose input JSSE reads through a buffer the size of the largest TLS record. */
  private static final class BufferedReadSocket extends Socket {
    private InputStream buffered;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (buffered == null) {
        buffered = new BufferedInputStream(super.getInputStream(), 17 * 1024);
      }
      return buffered;
    }
  }
}
