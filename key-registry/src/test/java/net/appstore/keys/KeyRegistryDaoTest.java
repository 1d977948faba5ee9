package net.appstore.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@PostgresTest
class KeyRegistryDaoTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static Jdbi jdbi;

  @BeforeAll
  static void migrate(PostgresTestDatabase db) {
    jdbi = RegistryDatabase.migrated(db);
  }

  static RegisteredKey key(String kid, KeyPurpose purpose, KeyState state) {
    return new RegisteredKey(
        kid,
        purpose,
        "RS256",
        state,
        "label-" + kid,
        "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\"}",
        List.of("Y2VydA==", "cm9vdA=="),
        NOW.minus(1, ChronoUnit.DAYS),
        NOW.plus(365, ChronoUnit.DAYS),
        NOW,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static KeyRegistryDao dao() {
    return jdbi.onDemand(KeyRegistryDao.class);
  }

  @Test
  void insert_thenFindByKid_roundTripsEveryField() {
    RegisteredKey key = key("roundtrip-1", KeyPurpose.RECEIPT, KeyState.GENERATED);
    dao().insert(key);
    assertThat(dao().findByKid("roundtrip-1")).contains(key);
  }

  @Test
  void moveState_fromTheStateItIsIn_movesAndStampsTheTime() {
    dao().insert(key("move-1", KeyPurpose.BLOCKLIST, KeyState.GENERATED));
    Instant at = NOW.plusSeconds(60);
    assertThat(dao().moveState("move-1", KeyState.GENERATED, KeyState.PUBLISHED, at)).isTrue();
    RegisteredKey moved = dao().findByKid("move-1").orElseThrow();
    assertThat(moved.state()).isEqualTo(KeyState.PUBLISHED);
    assertThat(moved.publishedAt()).contains(at);
  }

  @Test
  void moveState_keyNoLongerInTheExpectedState_updatesNothing() {
    dao().insert(key("stale-1", KeyPurpose.BLOCKLIST, KeyState.PUBLISHED));
    assertThat(dao().moveState("stale-1", KeyState.GENERATED, KeyState.PUBLISHED, NOW)).isFalse();
    assertThat(dao().findByKid("stale-1").orElseThrow().publishedAt()).isEmpty();
  }

  @Test
  void moveState_skippingAStep_isRefusedBeforeTouchingTheDatabase() {
    assertThatThrownBy(() -> dao().moveState("any", KeyState.GENERATED, KeyState.ACTIVE, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GENERATED to ACTIVE");
  }

  @Test
  void insert_secondActiveKeyForAPurpose_isRefusedByTheDatabase() {
    dao().insert(key("root-a", KeyPurpose.ROOT, KeyState.ACTIVE));
    assertThatThrownBy(() -> dao().insert(key("root-b", KeyPurpose.ROOT, KeyState.ACTIVE)))
        .isInstanceOf(UnableToExecuteStatementException.class)
        .hasMessageContaining("signing_key_one_active_per_purpose");
  }

  @Test
  void listPublished_onlySigningKeysVerifiersMustKnow() {
    dao().insert(key("pub-gen", KeyPurpose.RECEIPT, KeyState.GENERATED));
    dao().insert(key("pub-pub", KeyPurpose.RECEIPT, KeyState.PUBLISHED));
    dao().insert(key("pub-ret", KeyPurpose.RECEIPT, KeyState.RETIRING));
    dao().insert(key("pub-gone", KeyPurpose.RECEIPT, KeyState.RETIRED));
    assertThat(dao().listPublished())
        .extracting(RegisteredKey::kid)
        .contains("pub-pub", "pub-ret")
        .doesNotContain("pub-gen", "pub-gone", "root-a", "root-b");
  }

  @Test
  void recordEvent_thenEventsOf_keepsOrderActorAndForcedFlag() {
    dao().insert(key("evt-1", KeyPurpose.BLOCKLIST, KeyState.GENERATED));
    dao()
        .recordEvent(
            new KeyEvent(
                "evt-1",
                Optional.empty(),
                KeyState.GENERATED,
                NOW,
                "alice",
                false,
                Optional.empty()));
    dao()
        .recordEvent(
            new KeyEvent(
                "evt-1",
                Optional.of(KeyState.GENERATED),
                KeyState.PUBLISHED,
                NOW.plusSeconds(1),
                "bob",
                true,
                Optional.of("lead time skipped")));
    assertThat(dao().eventsOf("evt-1"))
        .extracting(KeyEvent::actor, KeyEvent::forced)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", false),
            org.assertj.core.groups.Tuple.tuple("bob", true));
  }

  @Test
  void insert_kidWithPathCharacters_isRefusedByTheSchema() {
    assertThatThrownBy(() -> dao().insert(key("../etc", KeyPurpose.RECEIPT, KeyState.GENERATED)))
        .isInstanceOf(UnableToExecuteStatementException.class);
  }
}
