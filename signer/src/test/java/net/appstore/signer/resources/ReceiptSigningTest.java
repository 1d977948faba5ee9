package net.appstore.signer.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.signer.testing.IndependentVerifier;
import net.appstore.signer.testing.Ledger;
import net.appstore.signer.testing.ReceiptRequests;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerClient;
import net.appstore.signer.testing.SignerKeys;
import net.appstore.signer.testing.TestRootCa;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import net.appstore.testkit.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/receipts} end to end: real HTTPS with client certificates, a real SoftHSM2 token,
 * real PostgreSQL, and the receipt checked by an independent verifier that knows only the JWKS and
 * the root.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class ReceiptSigningTest {

  private static final String RECEIPT_KID = "receipt-2026-01";

  private static RunningSigner signer;
  private static SignerClient store;
  private static Ledger ledger;
  private static TestRootCa root;

  @BeforeAll
  static void start(SoftHsmToken hsm, PostgresTestDatabase db) throws Exception {
    var jdbi = RunningSigner.migrated(db);
    root = TestRootCa.create();
    SignerKeys keys = SignerKeys.open(hsm, jdbi, root);
    keys.create(KeyPurpose.RECEIPT, RECEIPT_KID, KeyState.ACTIVE);
    keys.create(KeyPurpose.BLOCKLIST, "blocklist-2026-01", KeyState.ACTIVE);
    keys.create(KeyPurpose.RECEIPT, "receipt-2026-07", KeyState.PUBLISHED);
    signer = RunningSigner.start(hsm, db);
    store = signer.client(RunningSigner.STORE_CALLER);
    ledger = new Ledger(jdbi);
  }

  @AfterAll
  static void stop() {
    if (signer != null) {
      signer.close();
    }
  }

  @Test
  void postReceipt_validRequest_201AndIndependentVerifierAcceptsUsingOnlyTheJwks()
      throws Exception {
    ObjectNode request = ReceiptRequests.valid();

    SignerClient.Reply reply = store.post("v1/receipts", request.toString());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    JsonNode body = reply.json();
    String jwks = signer.anonymous().get(".well-known/jwks.json").body();
    SignedJWT jwt = new IndependentVerifier(jwks, root.root()).verify(body.get("receipt").asText());
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getJWTID()).isEqualTo(body.get("jti").asText());
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(body.get("kid").asText());
    assertThat(claims.getExpirationTime().toInstant().getEpochSecond())
        .isEqualTo(body.get("exp").asLong());
  }

  @Test
  void postReceipt_validRequest_signerFillsIssuerTimesIdAndUrls() throws Exception {
    ObjectNode request = ReceiptRequests.valid();
    Instant before = Instant.now().minusSeconds(1);

    JsonNode body = store.post("v1/receipts", request.toString()).json();

    JWTClaimsSet claims = SignedJWT.parse(body.get("receipt").asText()).getJWTClaimsSet();
    Instant iat = claims.getIssueTime().toInstant();
    assertThat(iat).isBetween(before, Instant.now().plusSeconds(1));
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(iat.plus(Duration.ofDays(180)));
    assertThat(claims.getNotBeforeTime().toInstant().getEpochSecond())
        .isEqualTo(request.get("nbf").asLong());
    assertThat(claims.getIssuer()).isEqualTo(RunningSigner.ISSUER);
    assertThat(claims.getStringClaim("typ")).isEqualTo("purchase-receipt");
    assertThat(claims.getJSONObjectClaim("product"))
        .isEqualTo(Map.of("url", "https://chess.example", "storedata", "id=1042"));
    assertThat(claims.getJSONObjectClaim("user"))
        .isEqualTo(Map.of("type", "directed-identifier", "value", "a3f9c0d2e1b4"));
    assertThat(claims.getStringClaim("verify")).isEqualTo("https://verify.store.example/v1/verify");
    assertThat(claims.getStringClaim("reissue"))
        .isEqualTo("https://store.example/api/v1/receipts/reissue");
    assertThat(claims.getStringClaim("detail"))
        .isEqualTo("https://store.example/receipts/" + claims.getJWTID());
    assertThat(claims.getJWTID()).matches("[0-9a-f-]{36}");
  }

  @Test
  void postReceipt_validRequest_headerIsExactlyAlgKidTyp() throws Exception {
    JsonNode body = store.post("v1/receipts", ReceiptRequests.valid().toString()).json();

    String header = body.get("receipt").asText().split("\\.")[0];
    Map<String, Object> fields =
        com.nimbusds.jose.util.JSONObjectUtils.parse(new Base64URL(header).decodeToString());
    assertThat(fields)
        .containsOnlyKeys("alg", "kid", "typ")
        .containsEntry("alg", "RS256")
        .containsEntry("kid", RECEIPT_KID)
        .containsEntry("typ", "receipt+jwt");
  }

  @Test
  void postReceipt_samePurchaseSameClaims_200WithTheSameReceipt() {
    String request = ReceiptRequests.valid().toString();
    SignerClient.Reply first = store.post("v1/receipts", request);
    long logged = ledger.logEntries();

    SignerClient.Reply again = store.post("v1/receipts", request);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(ledger.logEntries()).isEqualTo(logged);
  }

  @Test
  void postReceipt_samePurchaseOtherClaims_409AndNothingRecorded() {
    ObjectNode request = ReceiptRequests.valid();
    assertThat(store.post("v1/receipts", request.toString()).status()).isEqualTo(201);
    long receipts = ledger.receipts();
    long logged = ledger.logEntries();
    ((ObjectNode) request.get("price")).put("amount", "1.99");

    SignerClient.Reply reply = store.post("v1/receipts", request.toString());

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.json().get("reason").asText()).isEqualTo("PURCHASE_CONFLICT");
    assertThat(ledger.receipts()).isEqualTo(receipts);
    assertThat(ledger.logEntries()).isEqualTo(logged);
  }

  @Test
  void postReceipt_issued_isLoggedWithPurchaseKidCallerAndClaimsHash() throws Exception {
    ObjectNode request = ReceiptRequests.valid();

    JsonNode body = store.post("v1/receipts", request.toString()).json();

    Map<String, Object> entry = ledger.logEntry(body.get("jti").asText());
    String payload = new Base64URL(body.get("receipt").asText().split("\\.")[1]).decodeToString();
    assertThat(entry)
        .containsEntry("purchase_id", request.get("purchase_id").asText())
        .containsEntry("document_type", "receipt")
        .containsEntry("kid", RECEIPT_KID)
        .containsEntry("caller", RunningSigner.STORE_CALLER);
    assertThat((byte[]) entry.get("claims_sha256"))
        .isEqualTo(
            MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8)));
    assertThat(ledger.verifyChain().isIntact()).isTrue();
  }

  @Test
  void postReceipt_concurrentCallers_everyReceiptLoggedOnceAndChainIntact() throws Exception {
    long before = ledger.logEntries();
    String duplicated = ReceiptRequests.valid().toString();
    List<Callable<SignerClient.Reply>> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String body = i % 10 == 0 ? duplicated : ReceiptRequests.valid().toString();
      calls.add(() -> store.post("v1/receipts", body));
    }
    ExecutorService callers = Executors.newFixedThreadPool(6);
    List<SignerClient.Reply> replies = new ArrayList<>();
    try {
      for (Future<SignerClient.Reply> reply : callers.invokeAll(calls)) {
        replies.add(reply.get());
      }
    } finally {
      callers.shutdownNow();
    }

    Set<String> jtis = new HashSet<>();
    int created = 0;
    for (SignerClient.Reply reply : replies) {
      assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
      jtis.add(reply.json().get("jti").asText());
      created += reply.status() == 201 ? 1 : 0;
    }
    assertThat(created).isEqualTo(55); // 54 distinct purchases and one of the six duplicates
    assertThat(jtis).hasSize(55);
    assertThat(ledger.logEntries() - before).isEqualTo(55);
    var report = ledger.verifyChain();
    assertThat(report.isIntact()).as(report.problem().orElse("")).isTrue();
  }

  @Test
  void postReceipt_withoutClientCertificate_401() {
    SignerClient.Reply reply =
        signer.anonymous().post("v1/receipts", ReceiptRequests.valid().toString());

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("reason").asText()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void postReceipt_selfSignedCertificateNamingAConfiguredCaller_refusedInTheTlsHandshake(
      @TempDir Path dir) throws Exception {
    Path rogue = dir.resolve("rogue.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "rogue",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=" + RunningSigner.STORE_CALLER,
                "-storetype",
                "PKCS12",
                "-keystore",
                rogue.toString(),
                "-storepass",
                TestPki.PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).isTrue();
    SignerClient impostor =
        SignerClient.presentingAnyway(signer.baseUri(), TestPki.shared().trustStore(), rogue);

    assertThatThrownBy(() -> impostor.post("v1/receipts", ReceiptRequests.valid().toString()))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void postReceipt_certificateOfUnknownCaller_403() {
    SignerClient.Reply reply =
        signer.client("stranger").post("v1/receipts", ReceiptRequests.valid().toString());

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.json().get("reason").asText()).isEqualTo("CALLER_NOT_ALLOWED");
  }

  @Test
  void postReceipt_typNotAllowedForCaller_403AndNothingRecorded() {
    long logged = ledger.logEntries();
    ObjectNode request = ReceiptRequests.valid().put("typ", "developer-receipt");

    SignerClient.Reply reply = store.post("v1/receipts", request.toString());

    assertThat(reply.status()).isEqualTo(403);
    assertThat(ledger.logEntries()).isEqualTo(logged);
  }

  @Test
  void postReceipt_issuerNotAllowedForCaller_403() {
    ObjectNode request = ReceiptRequests.valid().put("iss", "https://other-store.example");

    assertThat(store.post("v1/receipts", request.toString()).status()).isEqualTo(403);
  }

  @Test
  void postReceipt_blocklistCallerAsksForReceipt_403() {
    SignerClient.Reply reply =
        signer
            .client(RunningSigner.CATALOG_CALLER)
            .post("v1/receipts", ReceiptRequests.valid().toString());

    assertThat(reply.status()).isEqualTo(403);
  }

  @Test
  void postReceipt_invalidFields_400NamingEveryFieldAndNothingRecorded() {
    long receipts = ledger.receipts();
    long logged = ledger.logEntries();
    ObjectNode request = ReceiptRequests.valid();
    request.put("purchase_id", "");
    ((ObjectNode) request.get("product")).put("url", "https://chess.example/app");
    request.put("nbf", Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
    ((ObjectNode) request.get("price")).put("currency", "usd");
    request.put("extra", true);

    SignerClient.Reply reply = store.post("v1/receipts", request.toString());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).isEqualTo("invalid request");
    List<String> fields = new ArrayList<>();
    reply.json().get("fields").forEach(f -> fields.add(f.get("field").asText()));
    assertThat(fields)
        .containsExactlyInAnyOrder("purchase_id", "product.url", "nbf", "price.currency", "extra");
    assertThat(ledger.receipts()).isEqualTo(receipts);
    assertThat(ledger.logEntries()).isEqualTo(logged);
  }

  @Test
  void postReceipt_duplicateMemberNames_400() {
    String body =
        ReceiptRequests.valid().toString().replaceFirst("\\{", "{\"typ\":\"test-receipt\",");

    assertThat(store.post("v1/receipts", body).status()).isEqualTo(400);
  }

  @Test
  void postReceipt_bodyOverTheLimit_413BeforeParsing() {
    String body = "{\"purchase_id\": \"" + "x".repeat(9000) + "\"}";

    SignerClient.Reply reply = store.post("v1/receipts", body);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().get("reason").asText()).isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void getJwks_withoutClientCertificate_servesPublishedKeysWithCacheControl() throws Exception {
    SignerClient.Reply reply = signer.anonymous().get(".well-known/jwks.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Cache-Control")).contains("public, max-age=300");
    var keys = com.nimbusds.jose.jwk.JWKSet.parse(reply.body()).getKeys();
    assertThat(keys)
        .extracting(com.nimbusds.jose.jwk.JWK::getKeyID)
        .containsExactlyInAnyOrder(RECEIPT_KID, "receipt-2026-07", "blocklist-2026-01");
    assertThat(keys).allSatisfy(k -> assertThat(k.getX509CertChain()).hasSize(2));
    assertThat(keys).noneMatch(com.nimbusds.jose.jwk.JWK::isPrivate);
  }

  @Test
  void heartbeat_allDependenciesUp_200() {
    SignerClient.Reply reply = signer.admin().get("__heartbeat__");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().get("checks").fieldNames())
        .toIterable()
        .contains("hsm", "registry-db", "receipt-key", "blocklist-key");
  }

  @Test
  void prometheusMetrics_afterSigning_countSignaturesAndKeyExpiry() {
    store.post("v1/receipts", ReceiptRequests.valid().toString());

    String metrics = signer.admin().get("metrics/prometheus").body();

    assertThat(metrics)
        .contains("signer_signatures_receipt_ok ")
        .contains("signer_key_receipt_days_until_expiry")
        .contains("signer_hsm_sign")
        .contains("signer_hsm_available 1.0");
  }
}
