package net.appstore.verifier.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.appstore.testkit.tls.TestPki;

/** A client TLS context trusting the test PKI's CA (and nothing else). */
public final class TestTls {

  private TestTls() {}

  public static SSLContext trustingTestCa() {
    try (InputStream in = Files.newInputStream(TestPki.shared().trustStore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, TestPki.PASSWORD.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
