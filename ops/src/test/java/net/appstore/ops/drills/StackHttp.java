package net.appstore.ops.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS to the stack's services as a client sees them: the development CA is trusted, optionally a
 * client certificate is presented. Every request has a timeout, so a hanging service fails the
 * drill instead of blocking it.
 */
public final class StackHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient client;

  private StackHttp(HttpClient client) {
    this.client = client;
  }

  /** Trusts {@code truststore} (PKCS#12, password changeit); presents {@code keystore} if given. */
  static StackHttp trusting(Path truststore, Path keystore) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(truststore, "changeit".toCharArray()));
      KeyManagerFactory keys = null;
      if (keystore != null) {
        char[] password =
            Files.readString(Path.of(keystore + ".pass"), StandardCharsets.UTF_8)
                .trim()
                .toCharArray();
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystore, password), password);
      }
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return new StackHttp(
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(tls)
              .connectTimeout(Duration.ofSeconds(5))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the drills", e);
    }
  }

  private static KeyStore load(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }

  public Reply get(URI uri, String... headers) throws IOException, InterruptedException {
    return send(builder(uri, headers).GET());
  }

  public Reply post(URI uri, String body, String... headers)
      throws IOException, InterruptedException {
    return send(builder(uri, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply delete(URI uri, String... headers) throws IOException, InterruptedException {
    return send(builder(uri, headers).DELETE());
  }

  private static HttpRequest.Builder builder(URI uri, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(response);
  }

  /** One answer: status, headers and body (as text and, when it is JSON, as a tree). */
  public record Reply(HttpResponse<String> response) {

    public int status() {
      return response.statusCode();
    }

    public String body() {
      return response.body();
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status() + "): " + abbreviated(), e);
      }
    }

    /** Status and the start of the body, for drill observations and failure messages. */
    public String abbreviated() {
      String body = response.body().replace('\n', ' ');
      return status() + " " + (body.length() > 160 ? body.substring(0, 160) + "..." : body);
    }
  }
}
