package net.appstore.catalog.core.blocklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.receipt.testing.Pem;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerKeys;
import net.appstore.signer.testing.TestRootCa;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import net.appstore.testkit.tls.TestPki;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code blocklist-publish} command against the REAL signer: its SoftHSM2 token, its key
 * registry in real PostgreSQL, mutual TLS with the catalog's client certificate ({@code
 * CN=catalog}). Every published file is then verified by jose4j, a JOSE implementation independent
 * of the Nimbus code on both sides, with the JWKS the signer serves and the root keytool would
 * export.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class RealSignerBlocklistTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BLOCKLIST_KID = "blocklist-real-1";

  private static RunningSigner signer;
  private static SignerKeys keys;
  private static Jdbi catalog;
  private static PostgresTestDatabase database;
  private Path dir;

  @BeforeAll
  static void start(SoftHsmToken hsm, PostgresTestDatabase db) throws Exception {
    database = db;
    // One cluster, two schemas' worth of services: the signer's (keys, issuance log) and the
    // catalog's (apps, blocklist entries), as separate databases would be in production.
    keys = SignerKeys.open(hsm, RunningSigner.migrated(db), TestRootCa.create());
    keys.create(KeyPurpose.RECEIPT, "receipt-real-1", KeyState.ACTIVE);
    keys.create(KeyPurpose.BLOCKLIST, BLOCKLIST_KID, KeyState.ACTIVE);
    signer = RunningSigner.start("../signer/config/signer.yml", hsm, db);
    CatalogDatabases.migrateAndSeed(db, 60, 0, 3);
    catalog = CatalogDatabases.primary(db);
  }

  @AfterAll
  static void stop() {
    if (signer != null) {
      signer.close();
    }
  }

  @BeforeEach
  void twentyEntriesAndNothingPublished() throws Exception {
    catalog.useHandle(
        h -> {
          h.execute("TRUNCATE catalog.blocklist_publication, catalog.blocklist_entry");
          h.execute(
              "INSERT INTO catalog.blocklist_entry (app_id, min_version, max_version, severity,"
                  + " reason, created_at, created_by) SELECT id, '0', '*', 'hard',"
                  + " 'test reason ' || id, now(), 'test' FROM catalog.app ORDER BY id LIMIT 20");
        });
    dir = Files.createTempDirectory("blocklist-real-");
  }

  @Test
  void publish_realSigner_fileVerifiesWithJose4jJwksAndPinnedRoot() throws Exception {
    BlocklistPublishing.Result result = publishing(keys.root().root()).publish("--actor", "test");

    assertThat(result.error()).as(result.stderr()).isEmpty();
    assertThat(result.stdout())
        .contains("published blocklist version 1 (20 entries, kid " + BLOCKLIST_KID);
    JsonNode payload = verifiedCurrent();
    assertThat(payload.get("version").asLong()).isEqualTo(1);
    assertThat(payload.get("iss").asText()).isEqualTo(RunningSigner.ISSUER);
    assertThat(payload.get("entries")).hasSize(20);
    // The signed payload is byte for byte the unsigned file people read, in RFC 8785 form.
    assertThat(CanonicalJson.string(payload))
        .isEqualTo(Files.readString(dir.resolve("current/blocklist.json")));
  }

  @Test
  void publish_twice_currentMovesAtomicallyAndBothVersionsVerify() throws Exception {
    BlocklistPublishing publishing = publishing(keys.root().root());
    publishing.publish();
    String first = Files.readString(dir.resolve("current/blocklist.jwt"));

    BlocklistPublishing.Result second = publishing.publish();

    assertThat(second.error()).as(second.stderr()).isEmpty();
    assertThat(Files.readSymbolicLink(dir.resolve("current")).toString())
        .isEqualTo("versions/000000000002");
    assertThat(verifiedCurrent().get("version").asLong()).isEqualTo(2);
    String kept =
        Files.readString(
            dir.resolve("versions/000000000001/blocklist.jwt"), StandardCharsets.UTF_8);
    assertThat(kept).isEqualTo(first);
    assertThat(verify(kept).get("version").asLong()).isEqualTo(1);
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .as("no temporary file or link left behind")
          .containsExactlyInAnyOrder("current", "versions");
    }
  }

  @Test
  void F18_emptyAfterNonEmpty_realSigner_refusedLastGoodFileKeptAndStillVerifies()
      throws Exception {
    BlocklistPublishing publishing = publishing(keys.root().root());
    publishing.publish();
    byte[] lastGood = Files.readAllBytes(dir.resolve("current/blocklist.jwt"));
    catalog.useHandle(h -> h.execute("UPDATE catalog.blocklist_entry SET removed_at = now()"));

    BlocklistPublishing.Result refused = publishing.publish();

    assertThat(refused.error()).isPresent();
    assertThat(refused.stderr()).contains("--allow-empty");
    assertThat(Files.readAllBytes(dir.resolve("current/blocklist.jwt"))).isEqualTo(lastGood);
    assertThat(verifiedCurrent().get("entries")).hasSize(20);
    // Refused before a version was reserved or anything was sent to the signer.
    assertThat(publicationCount()).isEqualTo(1);
  }

  @Test
  void F18_signingKeyNotCertifiedByPinnedRoot_refusedUntrustedKeyLastGoodFileKept()
      throws Exception {
    publishing(keys.root().root()).publish();
    byte[] lastGood = Files.readAllBytes(dir.resolve("current/blocklist.jwt"));
    // The catalog pins a root that never certified the signer's key: what a substituted or
    // mis-provisioned signing key looks like from the catalog.
    X509Certificate otherRoot = TestRootCa.create().root();

    BlocklistPublishing.Result refused =
        publishing(otherRoot)
            .publish("--allow-empty", "--allow-drop", "--allow-version-not-greater");

    assertThat(refused.error()).isPresent();
    assertThat(refused.stderr())
        .contains("signing key " + BLOCKLIST_KID + " does not chain to the pinned root");
    assertThat(Files.readAllBytes(dir.resolve("current/blocklist.jwt"))).isEqualTo(lastGood);
    assertThat(publicationState(2)).isEqualTo("refused");
  }

  private BlocklistPublishing publishing(X509Certificate pinnedRoot) {
    TestPki pki = TestPki.shared();
    return BlocklistPublishing.withSigner(
        database,
        dir,
        new BlocklistPublishing.Signer(
            signer.baseUri(),
            signer.baseUri().resolve(".well-known/jwks.json"),
            Pem.certificate(pinnedRoot),
            pki.trustStore(),
            pki.issueClient(RunningSigner.CATALOG_CALLER),
            RunningSigner.ISSUER));
  }

  private JsonNode verifiedCurrent() throws Exception {
    return verify(Files.readString(dir.resolve("current/blocklist.jwt"), StandardCharsets.UTF_8));
  }

  private static JsonNode verify(String token) throws Exception {
    String jwks = signer.anonymous().get(".well-known/jwks.json").body();
    return IndependentJwsVerifier.verify(token, jwks, keys.root().root());
  }

  private static int publicationCount() {
    return catalog.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM catalog.blocklist_publication")
                .mapTo(Integer.class)
                .one());
  }

  private static String publicationState(long version) {
    return catalog.withHandle(
        h ->
            h.createQuery("SELECT state FROM catalog.blocklist_publication WHERE version = :v")
                .bind("v", version)
                .mapTo(String.class)
                .one());
  }
}
