package net.appstore.catalog.core.blocklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.appstore.catalog.core.BlocklistEntry;
import net.appstore.catalog.testing.TestSigningRoot;
import net.appstore.catalog.testing.TestTls;
import net.appstore.receipt.keys.CertificateChainValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signer client over real mutual TLS, against a stub of the agreed signer contract. */
class HttpsBlocklistSignerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static StubSignerServer signerService;
  private static java.nio.file.Path clientKeyStore;

  @BeforeAll
  static void start() throws Exception {
    signerService = new StubSignerServer(TestTls.withKey(TestTls.pki().serverKeyStore()));
    clientKeyStore = TestTls.clientKeyStore();
  }

  @AfterAll
  static void stop() {
    signerService.close();
  }

  @Test
  void sign_overMutualTls_tokenPassesSignatureCheckAgainstServedJwks() throws Exception {
    BlocklistDocument document = document();

    SignedBlocklist signed = signer(TestTls.withKey(clientKeyStore)).sign(document.toJson());

    new BlocklistSignatureCheck(
            new HttpsJwksSource(
                signerService.jwksUri(), TestTls.withKey(clientKeyStore), Duration.ofSeconds(5)),
            new CertificateChainValidator(TestSigningRoot.shared().certificate()),
            Clock.systemUTC(),
            JSON)
        .check(signed, document.canonicalBytes());
    assertThat(signed.kid()).isEqualTo("stub-blocklist-1");
  }

  @Test
  void sign_withoutClientCertificate_signingException() {
    assertThatThrownBy(() -> signer(TestTls.client()).sign(document().toJson()))
        .isInstanceOf(BlocklistSigningException.class)
        .hasMessageContaining("unreachable");
  }

  @Test
  void F17_sign_signerAnswers503_signingExceptionWithRetryHint() {
    signerService.unavailableFor(1);

    assertThatThrownBy(() -> signer(TestTls.withKey(clientKeyStore)).sign(document().toJson()))
        .isInstanceOf(BlocklistSigningException.class)
        .hasMessageContaining("503")
        .hasMessageContaining("Retry-After 5");
  }

  private static HttpsBlocklistSigner signer(javax.net.ssl.SSLContext tls) {
    return new HttpsBlocklistSigner(signerService.baseUri(), tls, Duration.ofSeconds(5), JSON);
  }

  private static BlocklistDocument document() {
    return new BlocklistDocument(
        3,
        Instant.parse("2025-11-20T12:00:00Z"),
        "https://catalog.test",
        List.of(
            new BlocklistEntry(
                1,
                "evil-app",
                "0",
                "*",
                "hard",
                "malware",
                Instant.parse("2025-11-01T00:00:00Z"))));
  }
}
