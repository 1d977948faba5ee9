package net.appstore.devservices.faultproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client connection and its connection to the target, with a pump thread per direction. Each
 * chunk asks the proxy first whether (and when) it may pass. Thread-safe.
 */
final class ProxiedConnection {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int CHUNK = 16 * 1024;

  private final Socket client;
  private final InetSocketAddress targetAddress;
  private final FaultProxy proxy;
  private final Consumer<ProxiedConnection> onClose;
  private final Socket target = new Socket();
  private final AtomicInteger directionsEnded = new AtomicInteger();

  ProxiedConnection(
      Socket client,
      InetSocketAddress targetAddress,
      FaultProxy proxy,
      Consumer<ProxiedConnection> onClose) {
    this.client = client;
    this.targetAddress = targetAddress;
    this.proxy = proxy;
    this.onClose = onClose;
  }

  void start() {
    Thread connect = new Thread(this::connectAndPump, "faultproxy-conn");
    connect.setDaemon(true);
    connect.start();
  }

  private void connectAndPump() {
    try {
      // Without TCP_NODELAY each small write waits for the peer's delayed ACK (tens of ms on
      // Linux): every PostgreSQL round trip through the proxy took ~30 ms, so the stack's catalog
      // was slow for reasons no production network has. A proxy must add only the faults it is
      // told to.
      client.setTcpNoDelay(true);
      target.setTcpNoDelay(true);
      target.connect(targetAddress, CONNECT_TIMEOUT_MS);
    } catch (IOException e) {
      // The client sees its connection closed: as close as a proxy gets to the target's refusal.
      proxy.log("target unreachable: " + e.getMessage());
      close();
      return;
    }
    Thread up = new Thread(() -> pump(client, target, false), "faultproxy-up");
    up.setDaemon(true);
    up.start();
    pump(target, client, true);
  }

  private void pump(Socket from, Socket to, boolean fromTarget) {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!proxy.awaitForwarding(fromTarget)) {
          close();
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      // An orderly end of one direction is passed on as such (e.g. a TLS close_notify then FIN).
      to.shutdownOutput();
      if (directionsEnded.incrementAndGet() == 2) {
        close();
      }
    } catch (IOException e) {
      close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }

  void close() {
    closeQuietly(client);
    closeQuietly(target);
    onClose.accept(this);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
