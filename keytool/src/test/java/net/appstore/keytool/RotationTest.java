package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

/** rotate: the whole sequence, resumed run after run, and concurrent rotations. */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class RotationTest {

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
  void rotate_runAgainAndAgain_resumesEachStepAtItsTimeAndEndsWithTheOldKeyRetired()
      throws Exception {
    String old = keytool.activeKey("receipt", "RS256");

    CliResult first = keytool.run("rotate", "--purpose", "receipt").succeeded();
    String next = successor();
    assertThat(first.out()).contains("generated " + next, "published " + next, "waits until");
    assertThat(keytool.key(next).alg()).as("same algorithm as the ACTIVE key").isEqualTo("RS256");

    keytool.clock.advance(CACHE_AGE.minusMinutes(1));
    CliResult tooEarly = keytool.run("rotate", "--purpose", "receipt").succeeded();
    assertThat(tooEarly.out()).contains("successor " + next, "in 1m");
    assertThat(keytool.keys(KeyPurpose.RECEIPT)).hasSize(2);
    assertThat(keytool.state(old)).isEqualTo(KeyState.ACTIVE);

    keytool.clock.advance(Duration.ofMinutes(1));
    CliResult activation = keytool.run("rotate", "--purpose", "receipt").succeeded();
    assertThat(activation.out()).contains("activated " + next, old + " is RETIRING");
    assertThat(keytool.state(next)).isEqualTo(KeyState.ACTIVE);
    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRING);
    assertThat(keytool.events(next).get(2).forced()).isFalse();

    keytool.clock.advance(RECEIPTS_OVER);
    CliResult cleanup = keytool.run("rotate", "--purpose", "receipt").succeeded();
    assertThat(cleanup.out()).contains("retired " + old);
    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRED);
    keytool.run("destroy", old).succeeded();
    assertThat(keytool.active(KeyPurpose.RECEIPT).orElseThrow().kid()).isEqualTo(next);
    keytool.assertRegistryAndHsmAgree();
  }

  @Test
  void rotate_withForce_activatesAtOnceAndRecordsTheOverride() {
    String old = keytool.activeKey("blocklist", "ES256");

    CliResult result =
        keytool
            .run("rotate", "--purpose", "blocklist", "--force", "--reason", "key expired")
            .succeeded();

    RegisteredKey active = keytool.active(KeyPurpose.BLOCKLIST).orElseThrow();
    assertThat(active.kid()).isNotEqualTo(old);
    assertThat(result.out()).contains("FORCED");
    assertThat(keytool.events(active.kid()).get(2).note())
        .hasValueSatisfying(n -> assertThat(n).contains("reason: key expired"));
    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRING);
  }

  /** Regression: the first `stack up` failed with "outside its validity window". */
  @Test
  void rotate_withForce_secondBoundaryPassedDuringTheRun_activatesTheNewKey() {
    String old = keytool.activeKey("receipt", "RS256");
    keytool.clock.tickOnEveryRead(Duration.ofMillis(1500));
    try {
      keytool.run("rotate", "--purpose", "receipt", "--force", "--reason", "test").succeeded();
    } finally {
      keytool.clock.tickOnEveryRead(Duration.ZERO);
    }
    assertThat(keytool.state(old)).isEqualTo(KeyState.RETIRING);
    assertThat(keytool.active(KeyPurpose.RECEIPT).orElseThrow().kid()).isNotEqualTo(old);
  }

  @Test
  void rotate_noActiveKeyYet_bootstrapsTheFirstKeyWithTheDefaultAlgorithm() {
    keytool.run("rotate", "--purpose", "receipt").succeeded();
    keytool.clock.advance(CACHE_AGE);
    keytool.run("rotate", "--purpose", "receipt").succeeded();

    RegisteredKey active = keytool.active(KeyPurpose.RECEIPT).orElseThrow();
    assertThat(active.alg()).isEqualTo("RS256");
    assertThat(keytool.keys(KeyPurpose.RECEIPT)).hasSize(1);
  }

  @Test
  void rotate_keyGeneratedByHand_isPublishedInsteadOfGeneratingAnother() {
    keytool.activeKey("receipt", "RS256");
    String manual = keytool.generate("receipt", "ES256");

    CliResult result = keytool.run("rotate", "--purpose", "receipt").succeeded();

    assertThat(result.out()).contains("using " + manual);
    assertThat(keytool.state(manual)).isEqualTo(KeyState.PUBLISHED);
    assertThat(keytool.keys(KeyPurpose.RECEIPT)).hasSize(2);
  }

  @Test
  void rotate_twoConcurrentRuns_makeOneSuccessorAndKeepExactlyOneActiveKey() throws Exception {
    String old = keytool.activeKey("receipt", "ES256");

    List<CliResult> results = concurrently(2, "rotate", "--purpose", "receipt");

    results.forEach(CliResult::succeeded);
    List<RegisteredKey> keys = keytool.keys(KeyPurpose.RECEIPT);
    assertThat(keys)
        .extracting(RegisteredKey::state)
        .containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.PUBLISHED);
    assertThat(keytool.active(KeyPurpose.RECEIPT).orElseThrow().kid()).isEqualTo(old);
    keytool.assertRegistryAndHsmAgree();
  }

  @Test
  void rotate_twoConcurrentForcedRuns_endWithExactlyOneActiveKey() throws Exception {
    keytool.activeKey("receipt", "ES256");

    List<CliResult> results = concurrently(2, "rotate", "--purpose", "receipt", "--force");

    results.forEach(CliResult::succeeded);
    assertThat(keytool.keys(KeyPurpose.RECEIPT))
        .filteredOn(key -> key.state() == KeyState.ACTIVE)
        .hasSize(1);
    assertThat(keytool.keys(KeyPurpose.RECEIPT))
        .extracting(RegisteredKey::state)
        .doesNotContain(KeyState.GENERATED, KeyState.PUBLISHED);
    keytool.assertRegistryAndHsmAgree();
  }

  @Test
  void rotate_startWithin_startsOnlyWhenTheActiveKeyIsDueButAlwaysContinues() {
    String active = keytool.activeKey("receipt", "ES256");
    java.time.Instant notAfter = keytool.key(active).notAfter();
    keytool.clock.set(notAfter.minus(Duration.ofDays(31)));

    CliResult notDue = keytool.run("rotate", "--purpose", "receipt", "--start-within", "30");
    assertThat(notDue.succeeded().out()).contains("no rotation due");
    assertThat(keytool.keys(KeyPurpose.RECEIPT)).hasSize(1);

    keytool.clock.advance(Duration.ofDays(1));
    keytool.run("rotate", "--purpose", "receipt", "--start-within", "30").succeeded();
    assertThat(successor()).isNotEqualTo(active);

    keytool.clock.advance(CACHE_AGE);
    keytool.run("rotate", "--purpose", "receipt", "--start-within", "1").succeeded();
    assertThat(keytool.state(active)).isEqualTo(KeyState.RETIRING);
  }

  @Test
  void rotate_waitingSuccessorExpired_isRefusedWithAdvice() {
    keytool.activeKey("receipt", "ES256");
    keytool.run("rotate", "--purpose", "receipt", "--validity-days", "2").succeeded();
    String next = successor();
    keytool.clock.advance(Duration.ofDays(3));

    keytool
        .run("rotate", "--purpose", "receipt")
        .failed(ExitCode.REFUSED, "keytool retire " + next);

    assertThat(keytool.state(next)).isEqualTo(KeyState.PUBLISHED);
  }

  private static String successor() {
    return keytool.keys(KeyPurpose.RECEIPT).stream()
        .filter(key -> key.state() == KeyState.PUBLISHED)
        .findFirst()
        .orElseThrow()
        .kid();
  }

  /** Runs the same command in {@code threads} threads released at the same moment. */
  private static List<CliResult> concurrently(int threads, String... args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    try {
      List<Future<CliResult>> runs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        runs.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return keytool.run(args);
                }));
      }
      List<CliResult> results = new ArrayList<>();
      for (Future<CliResult> run : runs) {
        results.add(run.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
