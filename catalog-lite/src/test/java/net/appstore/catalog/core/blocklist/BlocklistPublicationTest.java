package net.appstore.catalog.core.blocklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.TestSigningRoot;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publication job against a real primary, with receipt-format's signing mechanism and a
 * software test key standing in for the signer service (the test against the real signer is still
 * owed).
 */
@PostgresTest
class BlocklistPublicationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://catalog.test";
  private static Jdbi primary;

  private final SoftwareBlocklistSigner signer = new SoftwareBlocklistSigner("blocklist-key-1");
  private final MetricRegistry metrics = new MetricRegistry();
  private Instant now = Instant.parse("2025-11-20T10:00:00Z");
  private Path dir;
  private BlocklistFiles files;

  @BeforeAll
  static void seed(PostgresTestDatabase db) {
    CatalogDatabases.migrateAndSeed(db, 60, 0, 3);
    primary = CatalogDatabases.primary(db);
  }

  @BeforeEach
  void twentyEntriesAndNothingPublished() throws Exception {
    primary.useHandle(
        h -> {
          h.execute("TRUNCATE catalog.blocklist_publication, catalog.blocklist_entry");
          h.execute(
              "INSERT INTO catalog.blocklist_entry (app_id, min_version, max_version, severity,"
                  + " reason, created_at, created_by) SELECT id, '0', '*',"
                  + " CASE WHEN id % 2 = 0 THEN 'hard' ELSE 'soft' END, 'test reason ' || id,"
                  + " '2025-01-01T00:00:00Z', 'test' FROM catalog.app ORDER BY id LIMIT 20");
        });
    dir = Files.createTempDirectory("blocklist-");
    files = new BlocklistFiles(dir);
  }

  @Test
  void publish_firstVersion_signedAndReadableFilesBehindCurrentLink() throws Exception {
    PublicationResult result = publisher().publish(Set.of(), "test");

    assertThat(result.published()).isTrue();
    assertThat(result.version()).isEqualTo(1);
    assertThat(result.entryCount()).isEqualTo(20);
    assertThat(Files.readSymbolicLink(dir.resolve("current")).toString())
        .isEqualTo("versions/000000000001");
    JsonNode json = JSON.readTree(dir.resolve("current/blocklist.json").toFile());
    assertThat(json.get("version").asLong()).isEqualTo(1);
    assertThat(json.get("generated_at").asText()).isEqualTo("2025-11-20T10:00:00Z");
    assertThat(json.get("iat").asLong()).isEqualTo(now.getEpochSecond());
    assertThat(json.get("entries")).hasSize(20);
    assertThat(json.get("entries").get(0).get("app").asText()).isNotEmpty();
    byte[] written = Files.readAllBytes(dir.resolve("current/blocklist.json"));
    assertThat(written).isEqualTo(CanonicalJson.bytes(json));
    assertThat(publicationState(1)).isEqualTo("published");
  }

  @Test
  void F18_publishedBlocklist_independentJoseVerifierAcceptsItWithTheJwks() throws Exception {
    publisher().publish(Set.of(), "test");
    String token =
        Files.readString(dir.resolve("current/blocklist.jwt"), StandardCharsets.US_ASCII);

    JsonNode payload = IndependentJwsVerifier.verify(token, signer.jwks().toString());

    assertThat(payload.get("version").asLong()).isEqualTo(1);
    assertThat(CanonicalJson.string(payload))
        .isEqualTo(Files.readString(dir.resolve("current/blocklist.json")));
  }

  @Test
  void publish_again_versionIncreasesAndGenerationTimeMoves() throws Exception {
    publisher().publish(Set.of(), "test");
    now = now.plusSeconds(600);

    PublicationResult second = publisher().publish(Set.of(), "test");

    assertThat(second.version()).isEqualTo(2);
    assertThat(current().get("generated_at").asText()).isEqualTo("2025-11-20T10:10:00Z");
  }

  @Test
  void F18_emptyAfterNonEmpty_refusedLastGoodKeptUntilOverridden() throws Exception {
    publisher().publish(Set.of(), "test");
    primary.useHandle(h -> h.execute("UPDATE catalog.blocklist_entry SET removed_at = now()"));

    assertThatThrownBy(() -> publisher().publish(Set.of(), "test"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.EMPTY_AFTER_NON_EMPTY));
    assertThat(current().get("version").asLong()).isEqualTo(1);
    assertThat(current().get("entries")).hasSize(20);
    assertThat(metrics.counter("blocklist.publish.refused").getCount()).isEqualTo(1);

    PublicationResult forced = publisher().publish(Set.of(PublicationOverride.ALLOW_EMPTY), "ops");
    assertThat(forced.overridesUsed()).containsExactly(PublicationOverride.ALLOW_EMPTY);
    assertThat(current().get("entries")).isEmpty();
    assertThat(overridesRecorded(forced.version())).containsExactly("allow-empty");
  }

  @Test
  void F18_dropOfMoreThanTenPercent_refused_smallerDropPublished() throws Exception {
    publisher().publish(Set.of(), "test");
    removeEntries(2); // 10 %: allowed
    assertThat(publisher().publish(Set.of(), "test").published()).isTrue();
    removeEntries(3); // 3 of 18: 16.7 %

    assertThatThrownBy(() -> publisher().publish(Set.of(), "test"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> {
              assertThat(e.refusal()).isEqualTo(Refusal.DROP_TOO_LARGE);
              assertThat(e.getMessage()).contains("--allow-drop");
            });
    assertThat(current().get("entries")).hasSize(18);
    assertThat(publisher().publish(Set.of(PublicationOverride.ALLOW_DROP), "ops").entryCount())
        .isEqualTo(15);
  }

  @Test
  void F18_versionNotGreaterThanPublished_refused() throws Exception {
    publisher().publish(Set.of(), "test");
    now = now.plusSeconds(60);
    publisher().publish(Set.of(), "test");
    // The database forgets its publications, as after a restore from an old backup.
    primary.useHandle(h -> h.execute("TRUNCATE catalog.blocklist_publication"));

    assertThatThrownBy(() -> publisher().publish(Set.of(), "test"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.VERSION_NOT_GREATER));
    assertThat(current().get("version").asLong()).isEqualTo(2);
  }

  @Test
  void F18_signatureByKeyNotInJwks_refusedNotOverridable() throws Exception {
    SoftwareBlocklistSigner rogue = new SoftwareBlocklistSigner("blocklist-key-1");
    publisher().publish(Set.of(), "test");

    assertThatThrownBy(
            () ->
                publisher(rogue, signer.jwks())
                    .publish(Set.of(PublicationOverride.values()), "ops"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.BAD_SIGNATURE));
    assertThat(current().get("version").asLong()).isEqualTo(1);
    assertThat(publicationState(2)).isEqualTo("refused");
  }

  @Test
  void F18_keyCertifiedByAnotherRoot_refusedUntrustedKeyLastGoodKept() throws Exception {
    publisher().publish(Set.of(), "test");
    SoftwareBlocklistSigner stranger =
        new SoftwareBlocklistSigner("blocklist-key-2", TestSigningRoot.create("Some other root"));

    assertThatThrownBy(
            () ->
                publisher(stranger, stranger.jwks())
                    .publish(Set.of(PublicationOverride.values()), "ops"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> {
              assertThat(e.refusal()).isEqualTo(Refusal.UNTRUSTED_KEY);
              assertThat(e.getMessage())
                  .contains("blocklist-key-2")
                  .contains("does not chain to the pinned root");
            });
    assertThat(current().get("version").asLong()).isEqualTo(1);
    assertThat(publicationState(2)).isEqualTo("refused");
    assertThat(metrics.counter("blocklist.publish.refused.untrusted_key").getCount()).isEqualTo(1);
  }

  @Test
  void F18_keyWithoutCertificateChain_refusedUntrustedKey() throws Exception {
    JWKSet withoutX5c =
        new JWKSet(
            new com.nimbusds.jose.jwk.RSAKey.Builder(
                    (com.nimbusds.jose.jwk.RSAKey) signer.jwks().getKeys().get(0))
                .x509CertChain(null)
                .build());

    assertThatThrownBy(() -> publisher(signer, withoutX5c).publish(Set.of(), "test"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> {
              assertThat(e.refusal()).isEqualTo(Refusal.UNTRUSTED_KEY);
              assertThat(e.getMessage()).contains("x5c is required");
            });
    assertThat(Files.exists(dir.resolve("current"))).isFalse();
  }

  @Test
  void F18_signerSignsOtherContent_refused() throws Exception {
    BlocklistSigner tampering =
        document -> {
          ObjectNode changed = document.deepCopy();
          changed.putArray("entries");
          return signer.sign(changed);
        };

    assertThatThrownBy(() -> publisher(tampering, signer.jwks()).publish(Set.of(), "test"))
        .isInstanceOfSatisfying(
            PublicationRefusedException.class,
            e -> {
              assertThat(e.refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
              assertThat(e.getMessage()).contains("not the document");
            });
    assertThat(Files.exists(dir.resolve("current"))).isFalse();
  }

  @Test
  void F17_signerDown_lastGoodStaysFailureCountedVersionMarkedFailed() throws Exception {
    publisher().publish(Set.of(), "test");
    BlocklistSigner down =
        document -> {
          throw new BlocklistSigningException("signer answered 503");
        };

    assertThatThrownBy(() -> publisher(down, signer.jwks()).publish(Set.of(), "test"))
        .isInstanceOf(BlocklistSigningException.class);

    assertThat(current().get("version").asLong()).isEqualTo(1);
    assertThat(metrics.counter("blocklist.publish.failed").getCount()).isEqualTo(1);
    assertThat(publicationState(2)).isEqualTo("failed");
    assertThat(publisher().publish(Set.of(), "test").version()).isEqualTo(3);
  }

  @Test
  void publish_manyVersions_keepsNewestOnDisk() throws Exception {
    for (int i = 0; i < 5; i++) {
      now = now.plusSeconds(60);
      publisher().publish(Set.of(), "test");
    }

    assertThat(files.versionsOnDisk()).containsExactly(4L, 5L);
    assertThat(current().get("version").asLong()).isEqualTo(5);
  }

  @Test
  void publishIfDue_entriesUnchangedAndRecent_skipped_changedPublished() throws Exception {
    publisher().publish(Set.of(), "test");
    now = now.plusSeconds(60);

    assertThat(publisher().publishIfDue().published()).isFalse();

    removeEntries(1);
    assertThat(publisher().publishIfDue().published()).isTrue();
    now = now.plus(Duration.ofHours(7));
    assertThat(publisher().publishIfDue().published()).isTrue();
  }

  private BlocklistPublisher publisher() {
    return publisher(signer, signer.jwks());
  }

  private BlocklistPublisher publisher(BlocklistSigner using, JWKSet jwks) {
    return new BlocklistPublisher(
        primary,
        using,
        new BlocklistSignatureCheck(
            () -> jwks,
            new CertificateChainValidator(TestSigningRoot.shared().certificate()),
            Clock.fixed(now, ZoneOffset.UTC),
            JSON),
        files,
        new BlocklistPublisher.Settings(ISSUER, 0.10, 2, Duration.ofHours(6)),
        Clock.fixed(now, ZoneOffset.UTC),
        JSON,
        metrics);
  }

  private JsonNode current() throws Exception {
    return JSON.readTree(files.current().orElseThrow().json());
  }

  private static void removeEntries(int count) {
    primary.useHandle(
        h ->
            h.execute(
                "UPDATE catalog.blocklist_entry SET removed_at = now() WHERE id IN (SELECT id FROM"
                    + " catalog.blocklist_entry WHERE removed_at IS NULL ORDER BY id LIMIT ?)",
                count));
  }

  private static String publicationState(long version) {
    return primary.withHandle(
        h ->
            h.createQuery("SELECT state FROM catalog.blocklist_publication WHERE version = :v")
                .bind("v", version)
                .mapTo(String.class)
                .one());
  }

  private static List<String> overridesRecorded(long version) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT unnest(overrides) FROM catalog.blocklist_publication WHERE version = :v")
                .bind("v", version)
                .mapTo(String.class)
                .list());
  }
}
