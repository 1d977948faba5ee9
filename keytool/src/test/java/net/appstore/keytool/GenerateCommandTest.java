package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.KeyAttributes;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * init and generate: keys made inside the HSM that never leave it, certificates that verifiers
 * accept, and the exports verifiers and CDNs consume.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class GenerateCommandTest {

  private static KeytoolFixture keytool;
  private static SoftHsmToken softHsm;
  @TempDir Path directory;

  @BeforeAll
  static void migrate(PostgresTestDatabase db, SoftHsmToken token) {
    softHsm = token;
    keytool = new KeytoolFixture(db, token).migrated();
  }

  @BeforeEach
  void freshDeployment() throws Exception {
    keytool.reset();
  }

  @Test
  void init_freshDeployment_registersAnActiveSelfSignedCaRootWhoseKeyIsInTheHsm() throws Exception {
    Path pem = directory.resolve("root.pem");

    CliResult result = keytool.run("init", "--out", pem.toString()).succeeded();

    RegisteredKey root = keytool.active(KeyPurpose.ROOT).orElseThrow();
    X509Certificate certificate = PublishedKeys.certificates(root).get(0);
    assertThat(result.out()).contains(root.kid(), "SHA-256 fingerprint");
    assertThat(root.alg()).isEqualTo("ES256");
    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getBasicConstraints()).isZero();
    assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(CertificateChainValidator.readPemCertificate(Files.readString(pem)))
        .isEqualTo(certificate);
    HsmKey inHsm = keytool.hsm().key(root.hsmLabel());
    assertThat(inHsm.publicKey()).isEqualTo(certificate.getPublicKey());
    assertThat(keytool.hsm().keyAttributes(root.hsmLabel()).confinedToHsm()).isTrue();
  }

  @Test
  void init_rootExists_isRefusedAndNothingIsAdded() throws Exception {
    String root = keytool.init();

    keytool.run("init").failed(ExitCode.REFUSED, "a root exists: " + root);

    assertThat(keytool.keys()).hasSize(1);
    assertThat(keytool.hsmLabels()).containsExactly(root);
  }

  @Test
  void init_tokenHoldsSigningKeysTheRegistryDoesNotKnow_isRefusedAndDeletesNothing()
      throws Exception {
    // A production token paired by mistake with an empty registry.
    keytool.strayHsmKey("root-20250101-00c0ffee");
    keytool.strayHsmKey("receipt-20250101-00c0ffee");

    keytool
        .run("init", "--discard-unregistered-root")
        .failed(ExitCode.INTEGRITY, "wrong registry or wrong token");

    assertThat(keytool.hsmLabels())
        .containsExactly("receipt-20250101-00c0ffee", "root-20250101-00c0ffee");
    assertThat(keytool.keys()).isEmpty();
  }

  @Test
  void init_strayRootOfAnInterruptedInit_isRefusedUnlessDiscardedExplicitly() throws Exception {
    keytool.strayHsmKey("root-20260301-5ca77e12");

    keytool.run("init").failed(ExitCode.INTEGRITY, "--discard-unregistered-root");
    assertThat(keytool.hsmLabels()).containsExactly("root-20260301-5ca77e12");

    CliResult result = keytool.run("init", "--discard-unregistered-root").succeeded();

    assertThat(result.out()).contains("removed HSM key root-20260301-5ca77e12");
    keytool.assertRegistryAndHsmAgree();
    assertThat(keytool.active(KeyPurpose.ROOT)).isPresent();
  }

  @Test
  void generate_withoutRoot_isRefusedAndTheHsmStaysEmpty() throws Exception {
    keytool.run("generate", "--purpose", "receipt").failed(ExitCode.REFUSED, "keytool init");

    assertThat(keytool.hsmLabels()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256"})
  void generate_anyAlgorithm_keyIsConfinedToTheHsmAndItsCertificatePassesVerifierChecks(String alg)
      throws Exception {
    keytool.init();

    String kid = keytool.generate("receipt", alg);

    RegisteredKey key = keytool.key(kid);
    assertThat(key.state()).isEqualTo(KeyState.GENERATED);
    assertThat(key.alg()).isEqualTo(alg);
    assertThat(key.hsmLabel()).isEqualTo(kid);
    KeyAttributes attributes = keytool.hsm().keyAttributes(kid);
    assertThat(attributes.sensitive()).isTrue();
    assertThat(attributes.extractable()).isFalse();
    assertThat(attributes.confinedToHsm()).isTrue();
    PublishedKey published = PublishedKeys.toPublishedKey(key);
    X509Certificate root = rootCertificate();
    new CertificateChainValidator(root).validate(published, key.notBefore());
    new CertificateChainValidator(root).validate(published, key.notAfter().minusSeconds(1));
    assertThat(published.leaf().getSubjectX500Principal().getName())
        .contains("CN=" + kid, "OU=receipt signing key");
    assertThat(keytool.hsm().key(kid).certificate()).isEqualTo(published.leaf());
  }

  @Test
  void generate_validityDays_setsTheCertificateWindowAndTheRegistryAlike() throws Exception {
    keytool.init();

    keytool
        .run("generate", "--purpose", "blocklist", "--alg", "ES256", "--validity-days", "30")
        .succeeded();

    RegisteredKey key = keytool.keys(KeyPurpose.BLOCKLIST).get(0);
    X509Certificate leaf = PublishedKeys.certificates(key).get(0);
    assertThat(Duration.between(key.notBefore(), key.notAfter())).isEqualTo(Duration.ofDays(30));
    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(key.notBefore());
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(key.notAfter());
  }

  @Test
  void generate_validityBeyondTheRoot_isRefusedBeforeTouchingTheHsm() throws Exception {
    String root = keytool.init();

    keytool
        .run("generate", "--purpose", "receipt", "--validity-days", "4000")
        .failed(ExitCode.REFUSED, "would outlive the root");

    assertThat(keytool.hsmLabels()).containsExactly(root);
  }

  @Test
  void generate_bitsOtherThan2048_isAUsageError() {
    keytool
        .run("generate", "--purpose", "receipt", "--alg", "RS256", "--bits", "4096")
        .failed(ExitCode.USAGE, "2048-bit RSA keys only");
  }

  @Test
  void generate_rootAsPurpose_isAUsageError() {
    keytool
        .run("generate", "--purpose", "root")
        .failed(ExitCode.USAGE, "not a signing key purpose");
  }

  @Test
  void generate_pkcs11ToolListsTheKeySensitiveAndNeverExtractable() throws Exception {
    assumeTrue(onPath("pkcs11-tool"), "pkcs11-tool (Debian package opensc) is not installed");
    keytool.init();
    String kid = keytool.generate("receipt", "RS256");

    String listing = pkcs11ToolObjects();

    String privateKey = block(listing, "Private Key Object", kid);
    assertThat(privateKey).as(listing).isNotEmpty();
    List<String> access =
        privateKey
            .lines()
            .map(String::strip)
            .filter(line -> line.startsWith("Access:"))
            .flatMap(line -> Stream.of(line.substring("Access:".length()).split(",")))
            .map(String::strip)
            .toList();
    assertThat(access)
        .contains("sensitive", "always sensitive", "never extractable")
        .doesNotContain("extractable");
  }

  @Test
  void exports_afterRotation_jwksIsThePublishedSetAndEveryKeyChainsToTheExportedRoot()
      throws Exception {
    keytool.init();
    String active = keytool.activeKey("receipt", "RS256");
    String next = keytool.generate("receipt", "ES256");
    keytool.run("publish", next).succeeded();
    String unpublished = keytool.generate("blocklist", "ES256");
    Path jwks = directory.resolve("jwks.json");
    Path root = directory.resolve("root.pem");

    keytool.run("export-jwks", "--out", jwks.toString()).succeeded();
    keytool.run("export-root", "--out", root.toString()).succeeded();

    String json = Files.readString(jwks);
    assertThat(json.strip())
        .isEqualTo(PublishedKeys.of(keytool.dao().listPublished()).toJson().strip());
    PublishedKeySet set = PublishedKeySet.parse(json);
    assertThat(set.keys()).extracting(PublishedKey::kid).containsExactlyInAnyOrder(active, next);
    assertThat(json).doesNotContain(unpublished).doesNotContain("\"d\"");
    CertificateChainValidator validator =
        new CertificateChainValidator(
            CertificateChainValidator.readPemCertificate(Files.readString(root)));
    Instant now = keytool.clock.instant();
    for (PublishedKey key : set.keys()) {
      validator.validate(key, now);
    }
  }

  private static X509Certificate rootCertificate() {
    return PublishedKeys.certificates(keytool.active(KeyPurpose.ROOT).orElseThrow()).get(0);
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private static String pkcs11ToolObjects() throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "pkcs11-tool",
                "--module",
                softHsm.library().toString(),
                "--token-label",
                softHsm.label(),
                "--login",
                "--pin",
                new String(softHsm.userPin()),
                "--list-objects")
            .redirectErrorStream(true);
    builder.environment().put("SOFTHSM2_CONF", softHsm.conf().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** The object block of this kind whose label line is exactly {@code label}. */
  private static String block(String listing, String kind, String label) {
    List<String> blocks = new java.util.ArrayList<>();
    for (String line : listing.split("\n")) {
      if (!line.startsWith(" ") || blocks.isEmpty()) {
        blocks.add(line);
      } else {
        blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
      }
    }
    return blocks.stream()
        .filter(b -> b.startsWith(kind))
        .filter(
            b ->
                b.lines()
                    .anyMatch(
                        l ->
                            l.strip().matches("label:\\s+" + java.util.regex.Pattern.quote(label))))
        .findFirst()
        .orElse("");
  }
}
