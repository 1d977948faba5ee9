package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import net.appstore.keys.KeyPurpose;
import net.appstore.keytool.ca.Certificates;
import net.appstore.keytool.ca.CertificationException;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key half-generated is completed or removed: faults injected between the HSM generation and the
 * registry commit, in certification, and in the pairing of registry and HSM. After each, registry
 * and HSM agree.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class GenerationFaultsTest {

  private static KeytoolFixture keytool;
  private static String root;

  @BeforeAll
  static void migrate(PostgresTestDatabase db, SoftHsmToken token) {
    keytool = new KeytoolFixture(db, token).migrated();
  }

  @BeforeEach
  void freshDeployment() throws Exception {
    keytool.reset();
    root = keytool.init();
  }

  @AfterEach
  void removeFaults() {
    keytool
        .jdbi()
        .useHandle(
            handle -> {
              handle.execute("DROP TRIGGER IF EXISTS inject_fault ON keys.signing_key");
              handle.execute("DROP TRIGGER IF EXISTS inject_fault ON keys.key_event");
              handle.execute("DROP FUNCTION IF EXISTS keys.inject_fault()");
            });
    keytool.changeContext(c -> c);
  }

  @Test
  void generate_connectionLostDuringTheRegistryInsert_removesTheHsmKeyAndExits4() throws Exception {
    injectFault("keys.signing_key", "PERFORM pg_terminate_backend(pg_backend_pid())");

    CliResult result =
        keytool
            .run("generate", "--purpose", "receipt", "--alg", "ES256")
            .failed(ExitCode.DATABASE_UNAVAILABLE, "generated meanwhile was removed");

    assertThat(result.err()).contains("registry database unavailable");
    assertThat(keytool.keys(KeyPurpose.RECEIPT)).isEmpty();
    assertThat(keytool.hsmLabels()).containsExactly(root);
  }

  @Test
  void generate_eventInsertFailsAfterTheKeyRow_rollsBackBothAndRemovesTheHsmKey() throws Exception {
    injectFault("keys.key_event", "RAISE EXCEPTION 'injected: event log refuses the row'");

    keytool
        .run("generate", "--purpose", "blocklist", "--alg", "RS256")
        .failed(ExitCode.DATABASE_UNAVAILABLE, "injected: event log refuses the row");

    assertThat(keytool.keys(KeyPurpose.BLOCKLIST)).isEmpty();
    keytool.assertRegistryAndHsmAgree();
  }

  @Test
  void generate_certificationFailsAfterTheKeyWasGenerated_leavesNeitherKeyNorRow()
      throws Exception {
    keytool.changeContext(
        context ->
            context.withCertifierWrapper(
                real ->
                    (publicKey, label) -> {
                      real.certify(publicKey, label); // the key exists in the HSM by now
                      throw new CertificationException("injected: certificate rejected", null);
                    }));

    keytool
        .run("generate", "--purpose", "receipt", "--alg", "ES256")
        .failed(ExitCode.INTEGRITY, "injected: certificate rejected");

    assertThat(keytool.keys(KeyPurpose.RECEIPT)).isEmpty();
    assertThat(keytool.hsmLabels()).containsExactly(root);
  }

  @Test
  void generate_unregisteredKeytoolKeyLeftInTheHsm_isSweptAndReported() throws Exception {
    String orphan = "receipt-20260301-deadbeef";
    String otherPurpose = "blocklist-20260301-deadbeef";
    String foreign = "operator-managed-key";
    for (String label : new String[] {orphan, otherPurpose, foreign}) {
      keytool.strayHsmKey(label);
    }

    CliResult result =
        keytool.run("generate", "--purpose", "receipt", "--alg", "ES256").succeeded();

    assertThat(result.out()).contains("removed HSM key " + orphan);
    assertThat(keytool.hsmLabels()).doesNotContain(orphan).contains(otherPurpose, foreign, root);
  }

  @Test
  void generate_registryRootIsNotTheHsmRoot_isAnIntegrityErrorAndDeletesNothing() throws Exception {
    String unregistered = "receipt-20260301-0badf00d";
    keytool.strayHsmKey(unregistered);
    String stranger =
        Base64.getEncoder().encodeToString(placeholder(softwareKey(), "stranger")[0].getEncoded());
    keytool
        .jdbi()
        .useHandle(
            handle ->
                handle
                    .createUpdate(
                        "UPDATE keys.signing_key SET certificate_chain = ARRAY[:cert] WHERE kid = :kid")
                    .bind("cert", stranger)
                    .bind("kid", root)
                    .execute());

    keytool
        .run("generate", "--purpose", "receipt")
        .failed(ExitCode.INTEGRITY, "is not the key of the registry's root certificate");

    assertThat(keytool.hsmLabels())
        .as("a registry that is not this token's must not make its keys look like strays")
        .containsExactlyInAnyOrder(root, unregistered);
    assertThat(keytool.keys(KeyPurpose.RECEIPT)).isEmpty();
  }

  @Test
  void generate_rootKeyMissingFromTheHsm_isAnIntegrityError() throws Exception {
    keytool.hsm().deleteKey(root);

    keytool
        .run("generate", "--purpose", "receipt")
        .failed(ExitCode.INTEGRITY, "has no key labelled '" + root + "'");

    assertThat(keytool.hsmLabels()).isEmpty();
  }

  private static void injectFault(String table, String statement) {
    keytool
        .jdbi()
        .useHandle(
            handle -> {
              handle.execute(
                  "CREATE FUNCTION keys.inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      + statement
                      + "; RETURN NEW; END $$");
              handle.execute(
                  "CREATE TRIGGER inject_fault BEFORE INSERT ON "
                      + table
                      + " FOR EACH ROW EXECUTE FUNCTION keys.inject_fault()");
            });
  }

  private static java.security.PublicKey softwareKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair().getPublic();
  }

  private static X509Certificate[] placeholder(java.security.PublicKey key, String label)
      throws java.security.GeneralSecurityException {
    Instant now = Instant.now();
    return new X509Certificate[] {
      Certificates.placeholder(key, label, now, now.plus(Duration.ofDays(1)))
    };
  }
}
