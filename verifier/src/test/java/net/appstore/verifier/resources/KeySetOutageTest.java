package net.appstore.verifier.resources;

import static net.appstore.verifier.testing.TestReceipts.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;

import net.appstore.receipt.Receipt;
import net.appstore.receipt.keys.PublishedKeySet;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FAILURE-MODES.md F10 (the JWKS unreachable) and key rotation, against the real service: the
 * stand-in JWKS server fails, serves a set without a retired key, or publishes a new one. The rate
 * limit is off here ({@code minRefreshInterval: 0s}) so that each step is deterministic; the limit
 * itself is covered by {@code CachedKeySourceTest}.
 */
@PostgresTest
class KeySetOutageTest {

  private static final String RS = TestVectors.RS256_KID;
  private static final String PS = TestVectors.PS256_KID;

  /** The vectors' set without PS256: PS256 plays a key published later. */
  private static final PublishedKeySet WITHOUT_PS = without(PS);

  private static JwksServer jwks;
  private static RunningVerifier verifier;
  private static VerifyClient client;
  private static Receipt base;

  @BeforeAll
  static void start(PostgresTestDatabase database) {
    PurchaseRows purchases = PurchaseRows.install(database);
    base = TestReceipts.fixture().build();
    purchases.insertReplicated(base.jti(), "COMPLETED");
    jwks = JwksServer.serving(WITHOUT_PS);
    verifier =
        RunningVerifier.builder()
            .jwks(jwks)
            .database(database)
            .set("keys.minRefreshInterval", "0s")
            .start();
    client = verifier.client();
  }

  @BeforeEach
  void publishTheSetWithoutPs() {
    jwks.serve(WITHOUT_PS);
    assertThat(verifier.adminPost("/tasks/refresh-keys").statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    verifier.close();
    jwks.close();
  }

  @Test
  void F10_jwksUnreachable_cachedKeysKeepVerifying() {
    jwks.failWith(503);
    assertThat(verifier.adminPost("/tasks/refresh-keys").statusCode()).isEqualTo(500);
    assertThat(client.verify(TestReceipts.sign(base, RS)).status()).isEqualTo("ok");
    assertThat(client.verify(TestReceipts.sign(base, TestVectors.ES256_KID)).status())
        .isEqualTo("ok");
    assertThat(verifier.adminGet("/__heartbeat__").body()).contains("last fetch failed");
  }

  @Test
  void F10_jwksUnreachableAndUnknownKid_503NotInvalid() {
    jwks.failWith(503);
    assertThat(verifier.adminPost("/tasks/refresh-keys").statusCode()).isEqualTo(500);
    Answer answer = client.verify(TestReceipts.sign(base, PS));
    assertThat(answer.httpStatus()).as(answer.toString()).isEqualTo(503);
    assertThat(answer.header("Retry-After")).contains("10");
    assertThat(answer.reason()).isEqualTo("KEYS_UNAVAILABLE");
    assertThat(answer.status()).isNotEqualTo("invalid");
  }

  @Test
  void verify_newlyPublishedKid_foundThroughTheUnknownKidRefresh() {
    jwks.serve(VECTORS.keySet());
    int fetches = jwks.requests();
    assertThat(client.verify(TestReceipts.sign(base, PS)).status()).isEqualTo("ok");
    assertThat(jwks.requests() - fetches).isEqualTo(1);
  }

  @Test
  void verify_retiredKid_invalidUnknownKeyOnceTheSetIsRefreshed() {
    assertThat(client.verify(TestReceipts.sign(base, RS)).status()).isEqualTo("ok");
    jwks.serve(without(RS)); // keytool retired it: out of the JWKS
    assertThat(verifier.adminPost("/tasks/refresh-keys").statusCode()).isEqualTo(200);
    Answer answer = client.verify(TestReceipts.sign(base, RS));
    assertThat(answer.status()).isEqualTo("invalid");
    assertThat(answer.reason()).isEqualTo("UNKNOWN_KEY");
  }

  @Test
  void verify_invalidKeySetPublished_lastGoodSetKept() {
    jwks.serveRaw("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"x\"}]}");
    assertThat(verifier.adminPost("/tasks/refresh-keys").statusCode()).isEqualTo(500);
    assertThat(client.verify(TestReceipts.sign(base, RS)).status()).isEqualTo("ok");
  }

  private static PublishedKeySet without(String kid) {
    return new PublishedKeySet(
        VECTORS.keySet().keys().stream().filter(k -> !k.kid().equals(kid)).toList());
  }
}
