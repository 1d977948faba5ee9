package net.appstore.catalog.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.appstore.receipt.testing.Pem;

/**
 * A plain nginx serving one static file over HTTPS with keep-alive: the practical limit the
 * catalog's cached answers are compared with. Configured in a temporary directory with the same
 * certificate and key as the catalog (from its PKCS#12 key store), access log off, keep-alive
 * without a request limit (nginx closes a connection after 1,000 requests by default, which the
 * load client would see as an error). Runs in the foreground; {@link #close} stops it.
 */
final class NginxServer implements AutoCloseable {

  private final Process process;
  private final URI fileUri;
  private final Path dir;

  private NginxServer(Process process, URI fileUri, Path dir) {
    this.process = process;
    this.fileUri = fileUri;
    this.dir = dir;
  }

  /**
   * @param keyStore PKCS#12 with the server key and its chain
   * @param fileName served at {@code /fileName}
   */
  static NginxServer serving(
      Path keyStore, char[] password, String fileName, byte[] content, SSLContext clientTls)
      throws Exception {
    Path dir = Files.createTempDirectory("catalog-bench-nginx-");
    Files.createDirectories(dir.resolve("www"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.write(dir.resolve("www").resolve(fileName), content);
    writePem(keyStore, password, dir.resolve("cert.pem"), dir.resolve("key.pem"));
    int port = freePort();
    Files.writeString(dir.resolve("nginx.conf"), config(dir, port), StandardCharsets.US_ASCII);
    Process process =
        new ProcessBuilder(
                "nginx",
                "-p",
                dir + "/",
                "-c",
                dir.resolve("nginx.conf").toString(),
                "-e",
                dir.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    URI uri = URI.create("https://localhost:" + port + "/" + fileName);
    NginxServer server = new NginxServer(process, uri, dir);
    server.awaitListening(clientTls, Duration.ofSeconds(15));
    return server;
  }

  URI fileUri() {
    return fileUri;
  }

  String version() throws IOException, InterruptedException {
    Process v = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
    try (InputStream in = v.getInputStream()) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
      v.waitFor();
      return text.replace("nginx version: ", "");
    }
  }

  private static String config(Path dir, int port) {
    // Running as root (as the benchmark machine does), workers would switch to nobody, who cannot
    // read the temporary directory.
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String tmp = dir.resolve("tmp").toString();
    return user
        + "worker_processes auto;\n"
        + "daemon off;\n"
        + "pid "
        + dir.resolve("nginx.pid")
        + ";\n"
        + "events { worker_connections 1024; }\n"
        + "http {\n"
        + "  access_log off;\n"
        + "  types { application/json json; }\n"
        + "  default_type application/json;\n"
        + "  sendfile on;\n"
        + "  tcp_nodelay on;\n"
        + "  keepalive_requests 1000000000;\n"
        + "  keepalive_timeout 300s;\n"
        + "  client_body_temp_path "
        + tmp
        + "/body;\n"
        + "  proxy_temp_path "
        + tmp
        + "/proxy;\n"
        + "  fastcgi_temp_path "
        + tmp
        + "/fastcgi;\n"
        + "  uwsgi_temp_path "
        + tmp
        + "/uwsgi;\n"
        + "  scgi_temp_path "
        + tmp
        + "/scgi;\n"
        + "  server {\n"
        + "    listen 127.0.0.1:"
        + port
        + " ssl;\n"
        + "    server_name localhost;\n"
        + "    ssl_certificate "
        + dir.resolve("cert.pem")
        + ";\n"
        + "    ssl_certificate_key "
        + dir.resolve("key.pem")
        + ";\n"
        + "    ssl_protocols TLSv1.2 TLSv1.3;\n"
        + "    root "
        + dir.resolve("www")
        + ";\n"
        + "  }\n"
        + "}\n";
  }

  private static void writePem(Path keyStore, char[] password, Path certOut, Path keyOut)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, password);
    }
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        PrivateKey key = (PrivateKey) store.getKey(alias, password);
        Certificate[] chain = store.getCertificateChain(alias);
        StringBuilder pem = new StringBuilder();
        for (Certificate certificate : chain) {
          pem.append(Pem.certificate((X509Certificate) certificate));
        }
        Files.writeString(certOut, pem, StandardCharsets.US_ASCII);
        // OpenSSL skips the warning lines and takes the first PRIVATE KEY block.
        Files.writeString(
            keyOut,
            Pem.testOnlyKeyPair(new KeyPair(chain[0].getPublicKey(), key)),
            StandardCharsets.US_ASCII);
        return;
      }
    }
    throw new IllegalArgumentException(keyStore + " holds no key");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitListening(SSLContext tls, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited: " + log());
      }
      try (SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket("localhost", fileUri.getPort())) {
        socket.startHandshake();
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("nginx did not listen: " + log(), notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  private String log() throws IOException {
    Path out = dir.resolve("nginx.out");
    Path err = dir.resolve("error.log");
    return (Files.exists(out) ? Files.readString(out) : "")
        + (Files.exists(err) ? Files.readString(err) : "");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
