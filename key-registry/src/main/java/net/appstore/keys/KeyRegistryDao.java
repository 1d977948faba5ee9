package net.appstore.keys;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Data access for the key registry. Lifecycle rules (which step is safe when) live in the callers;
 * this interface only reads and writes rows, and every state change is conditional on the state the
 * caller saw, so a concurrent change makes it update nothing rather than overwrite.
 */
@RegisterRowMapper(RegisteredKeyMapper.class)
public interface KeyRegistryDao {

  String COLUMNS =
      "kid, purpose, alg, state, hsm_label, public_jwk, certificate_chain, not_before, not_after,"
          + " created_at, published_at, activated_at, retiring_at, retired_at, destroyed_at";

  @SqlUpdate(
      "INSERT INTO keys.signing_key (kid, purpose, alg, state, hsm_label, public_jwk,"
          + " certificate_chain, not_before, not_after, created_at) VALUES (:kid, :purpose, :alg,"
          + " :state, :hsmLabel, :publicJwk, :chain, :notBefore, :notAfter, :createdAt)")
  void insert(
      @Bind("kid") String kid,
      @Bind("purpose") String purpose,
      @Bind("alg") String alg,
      @Bind("state") String state,
      @Bind("hsmLabel") String hsmLabel,
      @Bind("publicJwk") String publicJwk,
      @Bind("chain") String[] chain,
      @Bind("notBefore") Timestamp notBefore,
      @Bind("notAfter") Timestamp notAfter,
      @Bind("createdAt") Timestamp createdAt);

  /** Registers a key in state GENERATED (or any state the caller chose, e.g. the root's). */
  default void insert(RegisteredKey key) {
    insert(
        key.kid(),
        key.purpose().wireName(),
        key.alg(),
        key.state().name(),
        key.hsmLabel(),
        key.publicJwk(),
        key.certificateChain().toArray(String[]::new),
        Timestamp.from(key.notBefore()),
        Timestamp.from(key.notAfter()),
        Timestamp.from(key.createdAt()));
  }

  @SqlQuery("SELECT " + COLUMNS + " FROM keys.signing_key WHERE kid = :kid")
  Optional<RegisteredKey> findByKid(@Bind("kid") String kid);

  @SqlQuery("SELECT " + COLUMNS + " FROM keys.signing_key ORDER BY purpose, created_at, kid")
  List<RegisteredKey> listAll();

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM keys.signing_key WHERE purpose = :purpose ORDER BY created_at, kid")
  List<RegisteredKey> listByPurpose(@Bind("purpose") String purpose);

  default List<RegisteredKey> listByPurpose(KeyPurpose purpose) {
    return listByPurpose(purpose.wireName());
  }

  @SqlQuery(
      "SELECT " + COLUMNS + " FROM keys.signing_key WHERE purpose = :purpose AND state = 'ACTIVE'")
  Optional<RegisteredKey> findActive(@Bind("purpose") String purpose);

  default Optional<RegisteredKey> findActive(KeyPurpose purpose) {
    return findActive(purpose.wireName());
  }

  /** The keys verifiers must know: PUBLISHED, ACTIVE and RETIRING signing keys (never the root). */
  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM keys.signing_key WHERE purpose <> 'root'"
          + " AND state IN ('PUBLISHED', 'ACTIVE', 'RETIRING') ORDER BY purpose, created_at, kid")
  List<RegisteredKey> listPublished();

  /**
   * Serialises lifecycle changes of one purpose until the transaction ends, even when no row exists
   * yet (a row lock could not).
   */
  @SqlQuery("SELECT pg_advisory_xact_lock(hashtext('keys.purpose.' || :purpose)) IS NULL")
  boolean lockPurpose(@Bind("purpose") String purpose);

  default void lockPurpose(KeyPurpose purpose) {
    lockPurpose(purpose.wireName());
  }

  /**
   * Moves a key from {@code from} to {@code to}, stamping the state's time column.
   *
   * @return false when the key was not in {@code from} (someone else moved it first)
   */
  @SqlUpdate(
      "UPDATE keys.signing_key SET state = :to, <stampColumn> = :at WHERE kid = :kid AND state ="
          + " :from")
  int updateState(
      @Bind("kid") String kid,
      @Bind("from") String from,
      @Bind("to") String to,
      @Define("stampColumn") String stampColumn,
      @Bind("at") Timestamp at);

  default boolean moveState(String kid, KeyState from, KeyState to, Instant at) {
    if (!from.canMoveTo(to)) {
      throw new IllegalArgumentException("no lifecycle step from " + from + " to " + to);
    }
    return updateState(kid, from.name(), to.name(), stampColumn(to), Timestamp.from(at)) == 1;
  }

  /** Ends a key's validity window early (emergency retirement, or a drill's expired key). */
  @SqlUpdate("UPDATE keys.signing_key SET not_after = :notAfter WHERE kid = :kid")
  int updateNotAfter(@Bind("kid") String kid, @Bind("notAfter") Timestamp notAfter);

  @SqlUpdate(
      "INSERT INTO keys.key_event (kid, from_state, to_state, at, actor, forced, note)"
          + " VALUES (:kid, :fromState, :toState, :at, :actor, :forced, :note)")
  void insertEvent(
      @Bind("kid") String kid,
      @Bind("fromState") String fromState,
      @Bind("toState") String toState,
      @Bind("at") Timestamp at,
      @Bind("actor") String actor,
      @Bind("forced") boolean forced,
      @Bind("note") String note);

  default void recordEvent(KeyEvent event) {
    insertEvent(
        event.kid(),
        event.fromState().map(Enum::name).orElse(null),
        event.toState().name(),
        Timestamp.from(event.at()),
        event.actor(),
        event.forced(),
        event.note().orElse(null));
  }

  @SqlQuery(
      "SELECT kid, from_state, to_state, at, actor, forced, note FROM keys.key_event"
          + " WHERE kid = :kid ORDER BY id")
  @RegisterRowMapper(KeyEventMapper.class)
  List<KeyEvent> eventsOf(@Bind("kid") String kid);

  private static String stampColumn(KeyState state) {
    return switch (state) {
      case PUBLISHED -> "published_at";
      case ACTIVE -> "activated_at";
      case RETIRING -> "retiring_at";
      case RETIRED -> "retired_at";
      case DESTROYED -> "destroyed_at";
      case GENERATED -> "created_at";
    };
  }
}
