package net.appstore.verifier.core;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;
import net.appstore.verifier.testing.JwksServer;
import net.appstore.verifier.testing.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS fetch over real HTTPS: what it accepts and every way it fails. */
class HttpsKeySetFetcherTest {

  private static final SSLSocketFactory TRUSTING_TEST_CA =
      TestTls.trustingTestCa().getSocketFactory();

  private JwksServer server;

  @BeforeEach
  void start() {
    server = JwksServer.serving(VECTORS.keySet());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpsKeySetFetcher fetcher(URI url, SSLSocketFactory tls, int maxBytes) {
    return new HttpsKeySetFetcher(url, tls, Duration.ofSeconds(2), Duration.ofSeconds(2), maxBytes);
  }

  @Test
  void fetch_servedSet_parsedWithEveryKey() throws Exception {
    assertThat(fetcher(server.url(), TRUSTING_TEST_CA, 256 * 1024).fetch().keys())
        .hasSameSizeAs(VECTORS.keySet().keys());
  }

  @Test
  void fetch_serverCertificateNotTrusted_fails() {
    var fetcher =
        fetcher(server.url(), (SSLSocketFactory) SSLSocketFactory.getDefault(), 256 * 1024);
    assertThatThrownBy(fetcher::fetch).isInstanceOf(KeySetFetchException.class);
  }

  @Test
  void fetch_httpError_fails() {
    server.failWith(503);
    assertThatThrownBy(fetcher(server.url(), TRUSTING_TEST_CA, 256 * 1024)::fetch)
        .isInstanceOf(KeySetFetchException.class)
        .hasMessageContaining("503");
  }

  @Test
  void fetch_notAValidKeySet_refused() {
    server.serveRaw("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"x\"}]}");
    assertThatThrownBy(fetcher(server.url(), TRUSTING_TEST_CA, 256 * 1024)::fetch)
        .isInstanceOf(KeySetFetchException.class)
        .hasMessageContaining("refused");
  }

  @Test
  void fetch_documentOverTheSizeLimit_fails() {
    assertThatThrownBy(fetcher(server.url(), TRUSTING_TEST_CA, 1024)::fetch)
        .isInstanceOf(KeySetFetchException.class);
  }

  @Test
  void fetch_nothingListening_fails() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI closed = URI.create("https://localhost:" + port + JwksServer.PATH);
    assertThatThrownBy(fetcher(closed, TRUSTING_TEST_CA, 1024)::fetch)
        .isInstanceOf(KeySetFetchException.class);
  }

  @Test
  void constructor_plainHttpUrl_refused() {
    assertThatThrownBy(
            () -> fetcher(URI.create("http://localhost/jwks.json"), TRUSTING_TEST_CA, 1024))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
