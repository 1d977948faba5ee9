package net.appstore.verifier.resources;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static net.appstore.verifier.testing.TestReceipts.claimsJson;
import static net.appstore.verifier.testing.TestReceipts.header;
import static net.appstore.verifier.testing.TestReceipts.signRaw;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONStringUtils;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.testing.RawJws;
import net.appstore.receipt.testing.TestCertificates;
import net.appstore.receipt.testing.TestVectors;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.verifier.testing.JwksServer;
import net.appstore.verifier.testing.PurchaseRows;
import net.appstore.verifier.testing.RunningVerifier;
import net.appstore.verifier.testing.TestReceipts;
import net.appstore.verifier.testing.VerifyClient;
import net.appstore.verifier.testing.VerifyClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 5, each against the real service over HTTPS, each made from a real receipt
 * signed with a published key whose purchase is COMPLETED: had the verifier skipped the check under
 * test, the answer would be {@code ok}. None is.
 */
@PostgresTest
class VerifyEndpointSecurityTest {

  private static final String RS = TestVectors.RS256_KID;
  private static final String ES = TestVectors.ES256_KID;
  private static final String RSA_JCA = "SHA256withRSA";
  private static final Instant NOW = VECTORS.now();

  private static JwksServer jwks;
  private static RunningVerifier verifier;
  private static VerifyClient client;
  private static PurchaseRows purchases;

  /** Claims of a receipt whose purchase is COMPLETED: the base every attack is made from. */
  private static Receipt base;

  private static String baseClaims;
  private static String baseToken;

  @BeforeAll
  static void start(PostgresTestDatabase database) {
    purchases = PurchaseRows.install(database);
    base = TestReceipts.fixture().build();
    baseClaims = claimsJson(base);
    baseToken = TestReceipts.signRs256(base);
    purchases.insertReplicated(base.jti(), "COMPLETED");
    jwks = JwksServer.serving(VECTORS.keySet());
    verifier = RunningVerifier.builder().jwks(jwks).database(database).start();
    client = verifier.client();
  }

  @AfterAll
  static void stop() {
    verifier.close();
    jwks.close();
  }

  @Test
  void verify_unmodifiedBaseReceipt_ok() {
    assertThat(client.verify(baseToken).body().toString()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(client.verify(TestReceipts.sign(base, TestVectors.PS256_KID)).status())
        .isEqualTo("ok");
    assertThat(client.verify(TestReceipts.sign(base, ES)).status()).isEqualTo("ok");
  }

  @Test
  void verify_algNoneInAnyCase_invalid() {
    for (String none : List.of("none", "None", "NONE", "nOnE")) {
      assertRefused(
          client.verify(TestReceipts.withHeader(baseToken, header(none, RS))), "ALG_NOT_ALLOWED");
    }
    String unsigned =
        RawJws.base64Url(header("none", RS)) + "." + RawJws.base64Url(baseClaims) + ".";
    assertRefused(client.verify(unsigned), "ERROR_DECODING");
  }

  @Test
  void verify_hs256KeyedWithOurPublicKey_invalid() {
    var publicKey = VECTORS.keySet().find(RS).orElseThrow().publicKey();
    byte[] der = publicKey.getEncoded();
    byte[] pem =
        ("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (byte[] secret : List.of(der, pem)) {
      assertRefused(
          client.verify(RawJws.hs256(header("HS256", RS), baseClaims, secret)), "ALG_NOT_ALLOWED");
    }
  }

  @Test
  void verify_rs256ByAttackerKeyUnderOurKid_invalid() {
    KeyPair attacker = TestVectors.keyPair("test-only-attacker-rs256", SigningAlgorithm.RS256);
    String forged = signRaw(header("RS256", RS), baseClaims, attacker.getPrivate(), RSA_JCA);
    assertRefused(client.verify(forged), "BAD_SIGNATURE");
  }

  @Test
  void verify_kidWithPathOrSqlCharacters_invalidUnknownKey() {
    int fetchesBefore = jwks.requests();
    List<String> kids =
        List.of(
            "../../../../etc/passwd",
            "test-only-rs256/../test-only-rs256",
            "..%2f..%2fjwks.json",
            "x' OR '1'='1",
            "test-only-rs256'; DROP TABLE store.purchases; --",
            "test-only-rs256\u0000",
            "test-only-rs256 ",
            "TEST-ONLY-RS256");
    for (String kid : kids) {
      String token = signRaw(jsonHeader("RS256", kid), baseClaims, RS, RSA_JCA);
      assertUnknownOrNotYetLookedFor(client.verify(token));
    }
    // Nothing reached the JWKS server but fetches of its own URL, and the table is intact.
    assertThat(jwks.paths()).allMatch(JwksServer.PATH::equals);
    assertThat(jwks.requests() - fetchesBefore).isLessThanOrEqualTo(1);
    assertThat(client.verify(baseToken).status()).isEqualTo("ok");
  }

  @Test
  void verify_headerJwkJkuX5uX5c_invalidAndNoOutboundConnection() throws Exception {
    KeyPair attacker = TestVectors.keyPair("test-only-attacker-rs256", SigningAlgorithm.RS256);
    String attackerCert =
        Base64.getEncoder()
            .encodeToString(
                TestCertificates.root(
                        "attacker",
                        attacker,
                        NOW.minus(Duration.ofDays(1)),
                        NOW.plusSeconds(86400),
                        7)
                    .getEncoded());
    // A certificate for the attacker's key that the pinned root itself signed: even that is
    // never taken from a token.
    KeyPair root = TestVectors.keyPair("test-only-root", SigningAlgorithm.RS256);
    String certifiedByOurRoot =
        Base64.getEncoder()
            .encodeToString(
                TestCertificates.issue(
                        "attacker",
                        attacker.getPublic(),
                        VECTORS.root(),
                        root.getPrivate(),
                        NOW.minus(Duration.ofDays(1)),
                        NOW.plusSeconds(86400),
                        8,
                        TestCertificates.Usage.SIGNING)
                    .getEncoded());
    var jwk =
        new RSAKey.Builder((RSAPublicKey) attacker.getPublic()).keyID(RS).build().toJSONString();
    try (Listener trap = new Listener()) {
      String url = "https://127.0.0.1:" + trap.port() + "/jwks.json";
      String plainUrl = "http://127.0.0.1:" + trap.port() + "/key.pem";
      List<String> extras =
          List.of(
              "\"jku\":\"" + url + "\"",
              "\"jku\":\"" + jwks.url() + "\"",
              "\"x5u\":\"" + url + "\"",
              "\"x5u\":\"" + plainUrl + "\"",
              "\"jwk\":" + jwk,
              "\"x5c\":[\"" + attackerCert + "\"]",
              "\"x5c\":[\"" + certifiedByOurRoot + "\"]");
      for (String extra : extras) {
        String headerJson =
            "{\"alg\":\"RS256\",\"kid\":\"" + RS + "\",\"typ\":\"receipt+jwt\"," + extra + "}";
        // Signed by the attacker (as an attacker would) and by our real key: both refused.
        assertRefused(
            client.verify(signRaw(headerJson, baseClaims, attacker.getPrivate(), RSA_JCA)),
            "FORBIDDEN_HEADER");
        assertRefused(
            client.verify(signRaw(headerJson, baseClaims, RS, RSA_JCA)), "FORBIDDEN_HEADER");
      }
      assertThat(trap.connections()).as("connections to the URL named in the token").isZero();
    }
  }

  @Test
  void verify_unknownCritOrB64False_invalidForbiddenHeader() {
    String crit =
        "{\"alg\":\"RS256\",\"kid\":\""
            + RS
            + "\",\"typ\":\"receipt+jwt\","
            + "\"crit\":[\"urn:example:policy\"],\"urn:example:policy\":\"x\"}";
    String b64 =
        "{\"alg\":\"RS256\",\"kid\":\""
            + RS
            + "\",\"typ\":\"receipt+jwt\","
            + "\"b64\":false,\"crit\":[\"b64\"]}";
    assertRefused(client.verify(signRaw(crit, baseClaims, RS, RSA_JCA)), "FORBIDDEN_HEADER");
    assertRefused(client.verify(signRaw(b64, baseClaims, RS, RSA_JCA)), "FORBIDDEN_HEADER");
  }

  @Test
  void verify_wrongTyp_invalidWrongType() {
    for (String typ : List.of(",\"typ\":\"JWT\"", "", ",\"typ\":\"application/receipt+jwt\"")) {
      String headerJson = "{\"alg\":\"RS256\",\"kid\":\"" + RS + "\"" + typ + "}";
      assertRefused(client.verify(signRaw(headerJson, baseClaims, RS, RSA_JCA)), "WRONG_TYPE");
    }
    String blocklistTyp = "{\"alg\":\"RS256\",\"kid\":\"" + RS + "\",\"typ\":\"blocklist+jwt\"}";
    assertRefused(client.verify(signRaw(blocklistTyp, baseClaims, RS, RSA_JCA)), "WRONG_TYPE");
  }

  @Test
  void verify_ecdsaZeroOrOrderSizedSignature_invalidBadSignature() {
    String token = TestReceipts.sign(base, ES);
    byte[] n = P256_ORDER_BYTES.clone();
    byte[] rEqualsSEqualsN = new byte[64];
    System.arraycopy(n, 0, rEqualsSEqualsN, 0, 32);
    System.arraycopy(n, 0, rEqualsSEqualsN, 32, 32);
    for (byte[] signature : List.of(new byte[64], rEqualsSEqualsN)) {
      assertRefused(client.verify(TestReceipts.withSignature(token, signature)), "BAD_SIGNATURE");
    }
  }

  @Test
  void verify_ecdsaHighSTwin_sameVerdictAsItsOriginal_purchaseLookedUpOnce() {
    Receipt receipt = TestReceipts.fixture().build();
    purchases.insertReplicated(receipt.jti(), "COMPLETED");
    String original = TestReceipts.sign(receipt, ES);
    byte[] signature = TestReceipts.signatureBytes(original);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    byte[] highS = unsigned32(P256_ORDER.subtract(s));
    byte[] twinSignature = Arrays.copyOf(signature, 64);
    System.arraycopy(highS, 0, twinSignature, 32, 32);
    String twin = TestReceipts.withSignature(original, twinSignature);
    assertThat(twin).isNotEqualTo(original);

    long lookups = verifier.count("verifier.purchases.lookups");
    assertThat(client.verify(original).status()).isEqualTo("ok");
    assertThat(client.verify(twin).status()).isEqualTo("ok");
    // One receipt (one jti), however many encodings: one purchase lookup, the twin hits the cache.
    assertThat(verifier.count("verifier.purchases.lookups") - lookups).isEqualTo(1);
  }

  @Test
  void verify_deeplyNestedJson_invalidNeverAServerError() {
    String deep = "[".repeat(4000) + "]".repeat(4000);
    String nestedClaims = baseClaims.substring(0, baseClaims.length() - 1) + ",\"x\":" + deep + "}";
    assertRefused(
        client.verify(signRaw(header("RS256", RS), nestedClaims, RS, RSA_JCA)), "ERROR_DECODING");
    String nestedHeader =
        "{\"alg\":\"RS256\",\"kid\":\"" + RS + "\",\"typ\":\"receipt+jwt\",\"x\":" + deep + "}";
    assertRefused(client.verify(signRaw(nestedHeader, baseClaims, RS, RSA_JCA)), "ERROR_DECODING");
    String nestedBody = "{\"x\":" + deep + ",\"receipt\":\"" + baseToken + "\"}";
    assertRefused(client.postJson(nestedBody), "ERROR_DECODING");
  }

  @Test
  void verify_twoMegabyteToken_refusedUnread() {
    String huge = baseToken + "A".repeat(2 * 1024 * 1024);
    Answer answer = client.verify(huge);
    assertThat(answer.httpStatus()).isEqualTo(413);
    assertThat(answer.status()).isEqualTo("invalid");
    assertThat(answer.reason()).isEqualTo("TOO_LARGE");
  }

  @Test
  void verify_chunkedBodyOverTheLimit_refusedAtTheLimit() {
    // No declared length: the service reads up to the limit and stops. (Kept small enough that
    // the client has sent it all before the answer: an HTTP/1.1 client reads no answer while it
    // is still sending, so a 2 MB chunked upload just sees the connection closed.)
    byte[] huge = (baseToken + "A".repeat(64 * 1024)).getBytes(StandardCharsets.US_ASCII);
    Answer answer =
        client.send(
            client
                .request()
                .header("Content-Type", "text/plain")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge))));
    assertThat(answer.httpStatus()).isEqualTo(413);
    assertThat(answer.reason()).isEqualTo("TOO_LARGE");
  }

  @Test
  void verify_sixtyFourKilobyteJoseHeader_refusedBeforeParsing() {
    String bigHeader =
        "{\"alg\":\"RS256\",\"kid\":\""
            + RS
            + "\",\"typ\":\"receipt+jwt\",\"pad\":\""
            + "p".repeat(64 * 1024)
            + "\"}";
    // Only the request head goes out: the service must refuse on the declared length, unread.
    Answer answer = client.declareOnly(signRaw(bigHeader, baseClaims, RS, RSA_JCA));
    assertThat(answer.httpStatus()).isEqualTo(413);
    assertThat(answer.reason()).isEqualTo("TOO_LARGE");
    // Within the body limit but over the token limit: the token check refuses it, unparsed.
    String overTokenLimit =
        "{\"alg\":\"RS256\",\"kid\":\""
            + RS
            + "\",\"typ\":\"receipt+jwt\",\"pad\":\""
            + "p".repeat(12 * 1024)
            + "\"}";
    assertRefused(client.verify(signRaw(overTokenLimit, baseClaims, RS, RSA_JCA)), "TOO_LARGE");
  }

  @Test
  void verify_sixtyFourKilobyteHttpHeader_refusedByTheServer() {
    Answer answer =
        client.send(
            client
                .request()
                .header("X-Padding", "p".repeat(64 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString(baseToken)));
    assertThat(answer.httpStatus()).isEqualTo(431);
    assertThat(answer.status()).isNotEqualTo("ok");
  }

  @Test
  void verify_trailingOrLeadingWhitespace_invalid() {
    for (String token :
        List.of(
            baseToken + " ",
            baseToken + "\n",
            baseToken + "\r\n",
            baseToken + "\t",
            " " + baseToken)) {
      assertRefused(client.verify(token), "ERROR_DECODING");
      assertRefused(client.verifyJson(token), "ERROR_DECODING");
    }
  }

  @Test
  void verify_fourOrFiveSegments_invalid() {
    String signature = baseToken.substring(baseToken.lastIndexOf('.') + 1);
    for (String token :
        List.of(
            baseToken + "." + signature,
            baseToken + ".",
            baseToken + "." + signature + "." + signature)) {
      assertRefused(client.verify(token), "ERROR_DECODING");
    }
  }

  @Test
  void verify_expiredOneSecondBeyondSkewOrExactlyNow_expiredWithReissue() {
    Duration skew = VECTORS.settings().maxClockSkew();
    for (Instant exp : List.of(NOW.minus(skew).minusSeconds(1), NOW.minusSeconds(1), NOW)) {
      Receipt expired = TestReceipts.fixture().jti(base.jti()).exp(exp).build();
      Answer answer = client.verify(TestReceipts.signRs256(expired));
      assertThat(answer.status()).as("exp %s", exp).isEqualTo("expired");
      assertThat(answer.body().path("reissue").asText()).isEqualTo(expired.reissue().toString());
    }
    Receipt stillValid = TestReceipts.fixture().jti(base.jti()).exp(NOW.plusSeconds(1)).build();
    assertThat(client.verify(TestReceipts.signRs256(stillValid)).status()).isEqualTo("ok");
  }

  @Test
  void verify_wrongIssuer_invalid() {
    Receipt foreign = TestReceipts.fixture().jti(base.jti()).iss("https://evil.example").build();
    assertRefused(client.verify(TestReceipts.signRs256(foreign)), "WRONG_ISSUER");
  }

  @Test
  void verify_testReceiptWhenNotAllowed_invalid() {
    Receipt test = TestReceipts.fixture().jti(base.jti()).typ(ReceiptType.TEST).build();
    assertRefused(client.verify(TestReceipts.signRs256(test)), "TYPE_NOT_ALLOWED");
  }

  @Test
  void verify_keyNotChainedToThePinnedRoot_invalidUntrustedKey() {
    assertRefused(client.verify(TestReceipts.sign(base, TestVectors.ROGUE_KID)), "UNTRUSTED_KEY");
    assertRefused(
        client.verify(TestReceipts.sign(base, TestVectors.EXPIRED_CERT_KID)), "UNTRUSTED_KEY");
  }

  @Test
  void verify_notBeforeBeyondSkew_invalid() {
    Receipt future =
        TestReceipts.fixture()
            .jti(base.jti())
            .nbf(NOW.plus(VECTORS.settings().maxClockSkew()).plusSeconds(1))
            .build();
    assertRefused(client.verify(TestReceipts.signRs256(future)), "NOT_YET_VALID");
  }

  private static void assertRefused(Answer answer, String reason) {
    assertThat(answer.status()).as(answer.toString()).isNotEqualTo("ok");
    assertThat(answer.httpStatus()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.status()).as(answer.toString()).isEqualTo("invalid");
    assertThat(answer.reason()).as(answer.toString()).isEqualTo(reason);
  }

  /**
   * An unknown kid is {@code invalid UNKNOWN_KEY} once a key set fetched after its first sighting
   * lacks it; until the rate-limited fetch for it may run, 503 {@code KEYS_UNAVAILABLE}. Never ok.
   */
  private static void assertUnknownOrNotYetLookedFor(Answer answer) {
    if (answer.httpStatus() == 503) {
      assertThat(answer.reason()).as(answer.toString()).isEqualTo("KEYS_UNAVAILABLE");
      assertThat(answer.header("Retry-After")).as(answer.toString()).isPresent();
    } else {
      assertRefused(answer, "UNKNOWN_KEY");
    }
  }

  private static String jsonHeader(String alg, String kid) {
    return "{\"alg\":\""
        + alg
        + "\",\"kid\":"
        + JSONStringUtils.toJSONString(kid)
        + ",\"typ\":\"receipt+jwt\"}";
  }

  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final byte[] P256_ORDER_BYTES = unsigned32(P256_ORDER);

  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
    return out;
  }

  /** A local server socket that counts every connection made to it. */
  private static final class Listener implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    Listener() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket accepted = socket.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "connection-trap");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
