package net.appstore.verifier.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.testkit.tls.TestPki;

/**
 * Stands in for the signer's {@code GET /.well-known/jwks.json}: a JDK HTTPS server with the test
 * PKI's localhost certificate, serving {@link PublishedKeySet#toJson()} (exactly what the signer
 * serves), or failing on demand. Records every request path. Thread-safe.
 */
public final class JwksServer implements AutoCloseable {

  public static final String PATH = "/.well-known/jwks.json";

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private volatile String body;
  private volatile int failWith;

  private JwksServer(PublishedKeySet keys) {
    this.body = keys.toJson();
    try {
      server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          paths.add(exchange.getRequestURI().getRawPath());
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          int status = failWith;
          byte[] bytes =
              status != 0 || !PATH.equals(exchange.getRequestURI().getPath())
                  ? new byte[0]
                  : body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(
              status != 0 ? status : bytes.length == 0 ? 404 : 200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  public static JwksServer serving(PublishedKeySet keys) {
    return new JwksServer(keys);
  }

  public URI url() {
    return URI.create("https://localhost:" + server.getAddress().getPort() + PATH);
  }

  /** Serves this set from now on (and stops failing). */
  public void serve(PublishedKeySet keys) {
    body = keys.toJson();
    failWith = 0;
  }

  /** Serves a raw document from now on, e.g. an invalid JWKS. */
  public void serveRaw(String document) {
    body = document;
    failWith = 0;
  }

  /** Answers every request with this HTTP status and no body: the source is down. */
  public void failWith(int status) {
    failWith = status;
  }

  public int requests() {
    return requests.get();
  }

  public List<String> paths() {
    return List.copyOf(paths);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static SSLContext serverTls() {
    TestPki pki = TestPki.shared();
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, TestPki.PASSWORD.toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, TestPki.PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the test JWKS server's TLS", e);
    }
  }
}
