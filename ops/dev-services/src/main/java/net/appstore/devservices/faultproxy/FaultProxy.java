package net.appstore.devservices.faultproxy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy from one port on 127.0.0.1 to one target, whose {@link ProxyMode} can be switched
 * while it runs: the local stack puts one in front of a dependency (the signer's JWKS, a database)
 * so that a fault switch makes that dependency really unreachable or slow for its clients, while
 * the dependency itself keeps running. Bytes are forwarded untouched, so TLS and the PostgreSQL
 * protocol pass end to end.
 *
 * <p>Thread-safe. One accept thread while listening, two pump threads per open connection.
 */
public final class FaultProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final Delay delay;
  private final PrintStream log;
  private final Set<ProxiedConnection> open = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private ProxyMode mode = ProxyMode.PASS;
  private ServerSocket listener;
  private Thread acceptThread;
  private int port;
  private boolean closed;

  private FaultProxy(InetSocketAddress target, Delay delay, PrintStream log) {
    this.target = target;
    this.delay = delay;
    this.log = log;
  }

  /**
   * Starts proxying 127.0.0.1:{@code port} to {@code target} in {@code initial} mode.
   *
   * @param port 0 for any free port (kept across {@code refuse} and back)
   */
  public static FaultProxy start(
      int port, InetSocketAddress target, ProxyMode initial, Delay delay, PrintStream log)
      throws IOException {
    FaultProxy proxy = new FaultProxy(target, delay, log);
    synchronized (proxy.lock) {
      proxy.port = port;
      proxy.listen();
      proxy.apply(initial);
    }
    return proxy;
  }

  public int port() {
    synchronized (lock) {
      return port;
    }
  }

  public ProxyMode mode() {
    synchronized (lock) {
      return mode;
    }
  }

  /** Switches the mode now; open connections follow at once (cut, stalled or delayed). */
  public void setMode(ProxyMode next) throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the proxy is closed");
      }
      ProxyMode before = mode;
      apply(next);
      log("mode " + before + " -> " + next);
    }
  }

  private void apply(ProxyMode next) throws IOException {
    mode = next;
    if (next.kind() == ProxyMode.Kind.REFUSE) {
      stopListening();
      int cut = open.size();
      open.forEach(ProxiedConnection::close);
      if (cut > 0) {
        log("cut " + cut + " open connection(s)");
      }
    } else if (listener == null) {
      listen();
    }
    lock.notifyAll(); // wakes pumps stalled by hang
  }

  /**
   * Blocks a pump while the mode is {@code hang}; in {@code slow}, delays what the target sends.
   *
   * @return false when the proxy was closed or the connection must be cut
   */
  boolean awaitForwarding(boolean fromTarget) throws InterruptedException {
    ProxyMode now;
    synchronized (lock) {
      while (!closed && mode.kind() == ProxyMode.Kind.HANG) {
        lock.wait();
      }
      if (closed || mode.kind() == ProxyMode.Kind.REFUSE) {
        return false;
      }
      now = mode;
    }
    if (fromTarget && now.kind() == ProxyMode.Kind.SLOW) {
      delay.await(now.delay());
    }
    return true;
  }

  private void listen() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true); // rebinding right after refuse must not wait for TIME_WAIT
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    port = socket.getLocalPort();
    listener = socket;
    acceptThread = new Thread(() -> acceptLoop(socket), "faultproxy-accept-" + port);
    acceptThread.setDaemon(true);
    acceptThread.start();
  }

  private void stopListening() throws IOException {
    if (listener == null) {
      return;
    }
    listener.close();
    listener = null;
    // The kernel keeps the listening socket (and accepts into its backlog) until the thread blocked
    // in accept() has returned: only then are new connections really refused.
    try {
      acceptThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    acceptThread = null;
  }

  private void acceptLoop(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (SocketException e) {
        return; // closed by refuse or close()
      } catch (IOException e) {
        log("accept failed: " + e.getMessage());
        continue;
      }
      ProxiedConnection connection = new ProxiedConnection(client, target, this, open::remove);
      open.add(connection);
      connection.start();
    }
  }

  void log(String message) {
    log.println(Instant.now() + " faultproxy :" + port + " -> " + target + ": " + message);
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      closed = true;
      stopListening();
      open.forEach(ProxiedConnection::close);
      lock.notifyAll();
    }
  }
}
