package net.appstore.signer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import net.appstore.testkit.tls.TestPki;

/**
 * A real HTTPS client of the signer, trusting the test CA, optionally presenting a client
 * certificate (a PKCS#12 key store from {@link TestPki#issueClient}).
 */
public final class SignerClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient client;

  private SignerClient(URI base, SSLContext tls) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A client presenting the certificate in {@code clientKeyStore} (or none if null). */
  public static SignerClient of(URI base, Path trustStore, Path clientKeyStore) {
    return new SignerClient(base, tls(trustStore, clientKeyStore));
  }

  /**
   * A client that presents the (only) certificate in {@code clientKeyStore} whatever CAs the server
   * names, as an attacker's client would; the JDK's own key manager would hold back a certificate
   * the server's CAs did not issue.
   */
  public static SignerClient presentingAnyway(URI base, Path trustStore, Path clientKeyStore) {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(clientKeyStore), TestPki.PASSWORD.toCharArray());
      X509ExtendedKeyManager real = (X509ExtendedKeyManager) keys.getKeyManagers()[0];
      String alias = real.getClientAliases("RSA", null)[0];
      X509ExtendedKeyManager forcing =
          new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
              return new String[] {alias};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket s) {
              return alias;
            }

            @Override
            public String chooseEngineClientAlias(
                String[] keyType, Principal[] issuers, SSLEngine engine) {
              return alias;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
              return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) {
              return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String a) {
              return real.getCertificateChain(a);
            }

            @Override
            public PrivateKey getPrivateKey(String a) {
              return real.getPrivateKey(a);
            }
          };
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {forcing}, trust.getTrustManagers(), null);
      return new SignerClient(base, context);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Plain HTTP (the admin port). */
  public static SignerClient plain(URI base) {
    try {
      return new SignerClient(base, SSLContext.getDefault());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A TLS context trusting {@code trustStore}, presenting {@code clientKeyStore} if not null. */
  public static SSLContext tls(Path trustStore, Path clientKeyStore) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore));
      KeyManagerFactory keys = null;
      if (clientKeyStore != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(clientKeyStore), TestPki.PASSWORD.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the test TLS context", e);
    }
  }

  private static KeyStore load(Path file) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, TestPki.PASSWORD.toCharArray());
    }
    return store;
  }

  public URI base() {
    return base;
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET());
  }

  public Reply post(String path, String json) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      return new Reply(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body as text. */
  public record Reply(HttpResponse<String> response) {

    public int status() {
      return response.statusCode();
    }

    public String body() {
      return response.body();
    }

    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + response.body(), e);
      }
    }

    @Override
    public String toString() {
      return response.statusCode() + " " + response.body();
    }
  }
}
