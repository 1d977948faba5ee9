package net.appstore.signer.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.receipt.verify.BlocklistVerifier;
import net.appstore.receipt.verify.VerifiedBlocklist;
import net.appstore.receipt.verify.VerifierSettings;
import net.appstore.signer.testing.Ledger;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerClient;
import net.appstore.signer.testing.SignerKeys;
import net.appstore.signer.testing.TestRootCa;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/blocklists}: the contract the catalog codes against, {@code {"document": {...}}}
 * in, {@code 201 {"token", "kid"}} out, the signed payload exactly the document plus {@code iss}
 * and {@code iat}.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class BlocklistSigningTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BLOCKLIST_KID = "blocklist-2026-01";

  private static RunningSigner signer;
  private static SignerClient catalog;
  private static SignerKeys keys;
  private static Ledger ledger;

  @BeforeAll
  static void start(SoftHsmToken hsm, PostgresTestDatabase db) throws Exception {
    var jdbi = RunningSigner.migrated(db);
    keys = SignerKeys.open(hsm, jdbi, TestRootCa.create());
    keys.create(KeyPurpose.RECEIPT, "receipt-2026-01", KeyState.ACTIVE);
    keys.create(KeyPurpose.BLOCKLIST, BLOCKLIST_KID, KeyState.ACTIVE);
    signer = RunningSigner.start(hsm, db);
    catalog = signer.client(RunningSigner.CATALOG_CALLER);
    ledger = new Ledger(jdbi);
  }

  @AfterAll
  static void stop() {
    if (signer != null) {
      signer.close();
    }
  }

  /** A document as catalog-lite builds it: with iss and iat, a null max_version. */
  private static ObjectNode catalogDocument() {
    Instant generated = Instant.now().minusSeconds(5);
    ObjectNode doc = JSON.createObjectNode();
    doc.put("version", 7);
    doc.put("generated_at", generated.toString());
    doc.put("iss", RunningSigner.ISSUER);
    doc.put("iat", generated.getEpochSecond());
    ArrayNode entries = doc.putArray("entries");
    ObjectNode entry = entries.addObject();
    entry.put("id", 1);
    entry.put("app", "evil-app");
    entry.put("min_version", "1.0.0");
    entry.putNull("max_version");
    entry.put("severity", "hard");
    entry.put("reason", "steals <data> & more");
    entry.put("created_at", generated.toString());
    return doc;
  }

  private static String body(JsonNode document) {
    ObjectNode body = JSON.createObjectNode();
    body.set("document", document);
    return body.toString();
  }

  private VerifiedBlocklist verify(String token) throws Exception {
    String jwks = signer.anonymous().get(".well-known/jwks.json").body();
    BlocklistVerifier verifier =
        new BlocklistVerifier(
            PublishedKeySet.parse(jwks),
            new CertificateChainValidator(keys.root().root()),
            VerifierSettings.forIssuers(Set.of(RunningSigner.ISSUER)),
            Clock.systemUTC());
    return verifier.verify(token);
  }

  @Test
  void postBlocklist_catalogDocument_201AndSignedPayloadIsExactlyTheDocument() throws Exception {
    ObjectNode document = catalogDocument();

    SignerClient.Reply reply = catalog.post("v1/blocklists", body(document));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    assertThat(reply.json().fieldNames()).toIterable().containsExactlyInAnyOrder("token", "kid");
    assertThat(reply.json().get("kid").asText()).isEqualTo(BLOCKLIST_KID);
    VerifiedBlocklist verified = verify(reply.json().get("token").asText());
    Map<String, Object> signed = verified.claims().toJSONObject();
    JsonNode signedTree = JSON.readTree(JSON.writeValueAsString(signed)); // same number types
    assertThat(signedTree).isEqualTo(JSON.readTree(document.toString()));
  }

  @Test
  void postBlocklist_header_isExactlyAlgKidTypBlocklistJwt() throws Exception {
    String token =
        catalog.post("v1/blocklists", body(catalogDocument())).json().get("token").asText();

    Map<String, Object> header =
        JSONObjectUtils.parse(new Base64URL(token.split("\\.")[0]).decodeToString());
    assertThat(header)
        .containsOnlyKeys("alg", "kid", "typ")
        .containsEntry("alg", "RS256")
        .containsEntry("kid", BLOCKLIST_KID)
        .containsEntry("typ", "blocklist+jwt");
  }

  @Test
  void postBlocklist_documentWithoutIssAndIat_signerAddsCallersIssuerAndNow() throws Exception {
    ObjectNode document = catalogDocument();
    document.remove("iss");
    document.remove("iat");
    Instant before = Instant.now().minusSeconds(1);

    String token = catalog.post("v1/blocklists", body(document)).json().get("token").asText();

    VerifiedBlocklist verified = verify(token);
    assertThat(verified.issuer()).isEqualTo(RunningSigner.ISSUER);
    assertThat(verified.issuedAt()).isBetween(before, Instant.now().plusSeconds(1));
  }

  @Test
  void postBlocklist_signed_loggedAsBlocklistByCatalogAndChainIntact() {
    int before = ledger.logEntriesOfType("blocklist").size();

    catalog.post("v1/blocklists", body(catalogDocument()));

    List<Map<String, Object>> entries = ledger.logEntriesOfType("blocklist");
    assertThat(entries).hasSize(before + 1);
    assertThat(entries.get(entries.size() - 1))
        .containsEntry("kid", BLOCKLIST_KID)
        .containsEntry("caller", RunningSigner.CATALOG_CALLER)
        .containsEntry("purchase_id", null);
    assertThat(ledger.verifyChain().isIntact()).isTrue();
  }

  @Test
  void postBlocklist_storeCaller_403() {
    SignerClient.Reply reply =
        signer.client(RunningSigner.STORE_CALLER).post("v1/blocklists", body(catalogDocument()));

    assertThat(reply.status()).isEqualTo(403);
  }

  @Test
  void postBlocklist_issuerNotAllowedForCaller_403() {
    ObjectNode document = catalogDocument().put("iss", "https://elsewhere.example");

    assertThat(catalog.post("v1/blocklists", body(document)).status()).isEqualTo(403);
  }

  @Test
  void postBlocklist_withoutClientCertificate_401() {
    assertThat(signer.anonymous().post("v1/blocklists", body(catalogDocument())).status())
        .isEqualTo(401);
  }

  @Test
  void postBlocklist_invalidDocument_400NamingEveryMemberAndNothingLogged() {
    long logged = ledger.logEntries();
    ObjectNode document = catalogDocument();
    document.remove("version");
    document.putNull("note");
    document.put("iat", Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
    ((ObjectNode) document.get("entries").get(0)).put("score", 0.5);

    SignerClient.Reply reply = catalog.post("v1/blocklists", body(document));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields"))
        .extracting(f -> f.get("field").asText())
        .containsExactlyInAnyOrder(
            "document.version", "document.note", "document.iat", "document.entries[0].score");
    assertThat(ledger.logEntries()).isEqualTo(logged);
  }

  @Test
  void postBlocklist_unknownTopLevelMember_400() {
    ObjectNode request = JSON.createObjectNode();
    request.set("document", catalogDocument());
    request.put("sign_with", "root");

    SignerClient.Reply reply = catalog.post("v1/blocklists", request.toString());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").get(0).get("field").asText()).isEqualTo("sign_with");
  }

  @Test
  void postBlocklist_documentTooLargeForATokenButWithinTheBodyLimit_400BeforeSigning() {
    ObjectNode document = catalogDocument();
    ArrayNode entries = (ArrayNode) document.get("entries");
    for (int i = 2; i < 160; i++) {
      entries.addObject().put("id", i).put("app", "app-" + i).put("reason", "x".repeat(40));
    }
    long signedBefore = signer.metrics().counter("signer.signatures.blocklist.ok").getCount();

    SignerClient.Reply reply = catalog.post("v1/blocklists", body(document));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    assertThat(reply.body()).contains("too large to sign");
    assertThat(signer.metrics().counter("signer.signatures.blocklist.ok").getCount())
        .isEqualTo(signedBefore);
  }

  @Test
  void postBlocklist_noActiveBlocklistKey_503NoValidKeyWhileReceiptsStayReady() {
    keys.setState(BLOCKLIST_KID, KeyState.RETIRING);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                SignerClient.Reply reply = catalog.post("v1/blocklists", body(catalogDocument()));
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.header("Retry-After")).isPresent();
                assertThat(reply.json().get("reason").asText()).isEqualTo("NO_VALID_KEY");
              });
      SignerClient.Reply heartbeat = signer.admin().get("__heartbeat__");
      assertThat(heartbeat.status()).as(heartbeat.body()).isEqualTo(200);
      assertThat(heartbeat.json().at("/checks/blocklist-key/message").asText()).contains("WARNING");
    } finally {
      keys.setState(BLOCKLIST_KID, KeyState.ACTIVE);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> catalog.post("v1/blocklists", body(catalogDocument())).status() == 201);
  }
}
