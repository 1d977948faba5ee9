package net.appstore.catalog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.appstore.testkit.tls.TestPki;

/** One throw-away PKI per test JVM (making one takes seconds), and TLS contexts from it. */
public final class TestTls {

  private static TestPki pki;
  private static SSLContext client;
  private static Path clientKeyStore;

  private TestTls() {}

  public static synchronized TestPki pki() {
    if (pki == null) {
      try {
        pki = TestPki.create(Files.createTempDirectory("catalog-pki-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pki;
  }

  /** A client certificate ({@code CN=catalog}) for mutual TLS, issued once per JVM. */
  public static synchronized Path clientKeyStore() {
    if (clientKeyStore == null) {
      clientKeyStore = pki().issueClient("catalog");
    }
    return clientKeyStore;
  }

  /** Trusts the test CA only; one context, so its TLS sessions can be resumed. */
  public static synchronized SSLContext client() {
    if (client == null) {
      client = context(null, pki().trustStore());
    }
    return client;
  }

  /** Presents {@code keyStore}'s key (a server or client certificate) and trusts the test CA. */
  public static SSLContext withKey(Path keyStore) {
    return context(keyStore, pki().trustStore());
  }

  private static SSLContext context(Path keyStore, Path trustStore) {
    try {
      char[] password = TestPki.PASSWORD.toCharArray();
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore, password));
      KeyManagerFactory keys = null;
      if (keyStore != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore, password), password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load(Path path, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password);
    }
    return store;
  }
}
