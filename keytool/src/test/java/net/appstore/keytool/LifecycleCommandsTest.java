package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.appstore.keys.KeyEvent;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.lifecycle.LifecyclePolicy;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * publish, activate, retire and destroy through the CLI against a real token and registry: the
 * happy path and every refusal, each checked for its exit code, its one line, and no change.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class LifecycleCommandsTest {

  private static final Duration CACHE_AGE = LifecyclePolicy.DEFAULT_KEY_CACHE_AGE;
  private static final Duration RECEIPTS_OVER =
      LifecyclePolicy.DEFAULT_RECEIPT_LIFETIME.plus(LifecyclePolicy.DEFAULT_SIGNER_KEY_STALENESS);
  private static KeytoolFixture keytool;

  @BeforeAll
  static void migrate(PostgresTestDatabase db, SoftHsmToken token) {
    keytool = new KeytoolFixture(db, token).migrated();
  }

  @BeforeEach
  void freshDeployment() throws Exception {
    keytool.reset();
    keytool.init();
  }

  @Test
  void fullLifecycle_stepByStep_endsDestroyedWithEveryEventRecorded() throws Exception {
    String kid = keytool.generate("receipt", "ES256");
    assertThat(keytool.state(kid)).isEqualTo(KeyState.GENERATED);

    keytool.run("publish", kid).succeeded();
    keytool.clock.advance(CACHE_AGE);
    keytool.run("activate", kid).succeeded();
    String successor = keytool.generate("receipt", "ES256");
    keytool.run("publish", successor).succeeded();
    keytool.clock.advance(CACHE_AGE);
    CliResult switched = keytool.run("activate", successor).succeeded();
    assertThat(switched.out()).contains(kid + " is RETIRING");
    keytool.clock.advance(RECEIPTS_OVER);
    keytool.run("retire", kid).succeeded();
    keytool.run("destroy", kid).succeeded();

    assertThat(keytool.state(kid)).isEqualTo(KeyState.DESTROYED);
    assertThat(keytool.hsmLabels()).doesNotContain(kid).contains(successor);
    assertThat(keytool.events(kid))
        .extracting(KeyEvent::toState)
        .containsExactly(
            KeyState.GENERATED,
            KeyState.PUBLISHED,
            KeyState.ACTIVE,
            KeyState.RETIRING,
            KeyState.RETIRED,
            KeyState.DESTROYED);
    assertThat(keytool.events(kid))
        .allSatisfy(e -> assertThat(e.actor()).isEqualTo("test-operator"));
    keytool.assertRegistryAndHsmAgree();
  }

  @ParameterizedTest
  @ValueSource(strings = {"publish", "activate", "retire", "destroy"})
  void lifecycleStep_unknownKid_isRefusedWithExitCode1(String verb) throws Exception {
    List<RegisteredKey> before = keytool.keys();

    keytool.run(verb, "receipt-20260301-00000000").failed(ExitCode.REFUSED, "no key with kid");

    assertThat(keytool.keys()).isEqualTo(before);
  }

  @Test
  void publish_alreadyPublished_isRefusedWithoutChange() {
    String kid = keytool.generate("receipt", "ES256");
    keytool.run("publish", kid).succeeded();
    RegisteredKey before = keytool.key(kid);

    keytool.run("publish", kid).failed(ExitCode.REFUSED, "only a GENERATED key can be published");

    assertThat(keytool.key(kid)).isEqualTo(before);
  }

  @Test
  void activate_generatedKey_isRefusedAskingToPublishFirst() {
    String kid = keytool.generate("receipt", "ES256");

    keytool.run("activate", kid).failed(ExitCode.REFUSED, "publish it first");

    assertThat(keytool.state(kid)).isEqualTo(KeyState.GENERATED);
  }

  @Test
  void activate_beforeTheKeyCacheAge_isRefusedAndNothingChanges() {
    String current = keytool.activeKey("receipt", "ES256");
    String next = keytool.generate("receipt", "ES256");
    keytool.run("publish", next).succeeded();
    keytool.clock.advance(CACHE_AGE.minusSeconds(1));

    keytool.run("activate", next).failed(ExitCode.REFUSED, "activation allowed from");

    assertThat(keytool.state(next)).isEqualTo(KeyState.PUBLISHED);
    assertThat(keytool.state(current)).isEqualTo(KeyState.ACTIVE);
    assertThat(keytool.events(next))
        .extracting(KeyEvent::toState)
        .containsExactly(KeyState.GENERATED, KeyState.PUBLISHED);
  }

  @Test
  void activate_beforeTheKeyCacheAgeWithForce_activatesAndRecordsTheOverride() {
    String current = keytool.activeKey("receipt", "ES256");
    String next = keytool.generate("receipt", "ES256");
    keytool.run("publish", next).succeeded();

    CliResult result =
        keytool
            .run("activate", next, "--force", "--reason", "drill", "--actor", "alice")
            .succeeded();

    assertThat(result.out()).contains("FORCED");
    assertThat(keytool.state(next)).isEqualTo(KeyState.ACTIVE);
    assertThat(keytool.state(current)).isEqualTo(KeyState.RETIRING);
    KeyEvent activation = keytool.events(next).get(2);
    assertThat(activation.toState()).isEqualTo(KeyState.ACTIVE);
    assertThat(activation.forced()).isTrue();
    assertThat(activation.actor()).isEqualTo("alice");
    assertThat(activation.note()).hasValueSatisfying(n -> assertThat(n).contains("reason: drill"));
  }

  @Test
  void activate_keyMissingFromTheHsm_isAnIntegrityErrorWithoutChange() throws Exception {
    String kid = keytool.generate("receipt", "ES256");
    keytool.run("publish", kid).succeeded();
    keytool.clock.advance(CACHE_AGE);
    keytool.hsm().deleteKey(kid);

    keytool.run("activate", kid).failed(ExitCode.INTEGRITY, "has no key labelled");

    assertThat(keytool.state(kid)).isEqualTo(KeyState.PUBLISHED);
    assertThat(keytool.active(KeyPurpose.RECEIPT)).isEmpty();
  }

  @Test
  void retire_theOnlyActiveKey_isRefusedEvenWithForce() {
    String kid = keytool.activeKey("receipt", "ES256");

    keytool.run("retire", kid, "--force").failed(ExitCode.REFUSED, "would leave nothing to sign");

    assertThat(keytool.state(kid)).isEqualTo(KeyState.ACTIVE);
  }

  @Test
  void retire_retiringKeyWhoseReceiptsMayBeValid_isRefusedUnlessForced() {
    String old = keytool.activeKey("receipt", "ES256");
    keytool.activeKey("receipt", "ES256");
    keytool.clock.advance(RECEIPTS_OVER.minusSeconds(1));

    keytool.run("retire", old).failed(ExitCode.REFUSED, "may be valid until");
    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRING);

    keytool.run("retire", old, "--force", "--reason", "compromised").succeeded();
    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRED);
    assertThat(keytool.events(old).get(keytool.events(old).size() - 1).forced()).isTrue();
  }

  @Test
  void destroy_retiredKeyWhoseReceiptsMayBeValid_isRefusedAndTheHsmKeyStays() throws Exception {
    String old = keytool.activeKey("receipt", "ES256");
    keytool.activeKey("receipt", "ES256");
    keytool.run("retire", old, "--force").succeeded();

    keytool.run("destroy", old).failed(ExitCode.REFUSED, "may be valid until");

    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRED);
    assertThat(keytool.hsmLabels()).contains(old);
  }

  @Test
  void destroy_activeKey_isRefused() throws Exception {
    String kid = keytool.activeKey("receipt", "ES256");

    keytool.run("destroy", kid).failed(ExitCode.REFUSED, "retire it first");

    assertThat(keytool.hsmLabels()).contains(kid);
  }

  @Test
  void destroy_generatedKeyNeverPublished_deletesItFromTheHsm() throws Exception {
    String kid = keytool.generate("blocklist", "ES256");

    keytool.run("destroy", kid).succeeded();

    assertThat(keytool.state(kid)).isEqualTo(KeyState.DESTROYED);
    keytool.assertRegistryAndHsmAgree();
  }

  @Test
  void destroy_hsmObjectsAlreadyGone_completesTheInterruptedDestroy() throws Exception {
    String kid = keytool.generate("blocklist", "ES256");
    keytool.hsm().deleteKey(kid); // as if a destroy died after the HSM deletion

    keytool.run("destroy", kid).succeeded();

    assertThat(keytool.events(kid).get(1).note())
        .hasValueSatisfying(n -> assertThat(n).contains("already gone"));
  }

  @Test
  void anyLifecycleStep_onTheRoot_isRefused() {
    String root = keytool.active(KeyPurpose.ROOT).orElseThrow().kid();

    keytool.run("retire", root).failed(ExitCode.REFUSED, "is the root");
    keytool.run("destroy", root).failed(ExitCode.REFUSED, "is the root");

    assertThat(keytool.state(root)).isEqualTo(KeyState.ACTIVE);
  }
}
