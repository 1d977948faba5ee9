package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.UnaryOperator;
import net.appstore.hsm.HsmKeyType;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyEvent;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.ca.Certificates;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * Runs the real keytool in-process against a test class's SoftHSM2 token and PostgreSQL database,
 * with a clock the test moves, and looks at the resulting registry rows and HSM objects directly.
 * Thread-safe: concurrent runs get their own command line and output.
 */
final class KeytoolFixture {

  static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

  final MovableClock clock = new MovableClock(START);
  private final Map<String, String> environment = new HashMap<>();
  private final PostgresTestDatabase db;
  private final SoftHsmToken softHsm;
  private final Jdbi jdbi;
  private volatile UnaryOperator<KeytoolContext> contextChange = UnaryOperator.identity();

  KeytoolFixture(PostgresTestDatabase db, SoftHsmToken softHsm) {
    this.db = db;
    this.softHsm = softHsm;
    environment.put("PRIMARY_JDBC_URL", db.primaryJdbcUrl());
    environment.put("PGUSER", db.user());
    environment.put("PGPASSWORD", db.password());
    if (softHsm != null) {
      environment.put("PKCS11_LIBRARY", softHsm.library().toString());
      environment.put("HSM_TOKEN_LABEL", softHsm.label());
      environment.put("HSM_PIN", new String(softHsm.userPin()));
    }
    environment.put("USER", "test-operator");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.primaryJdbcUrl());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    this.jdbi =
        Jdbi.create(dataSource)
            .installPlugin(new SqlObjectPlugin())
            .installPlugin(new PostgresPlugin());
  }

  /** Migrates the registry through the CLI. */
  KeytoolFixture migrated() {
    run("db", "migrate").succeeded();
    return this;
  }

  CliResult run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs keytool with these environment variables changed (an empty value removes one). */
  CliResult run(Map<String, String> overrides, String... args) {
    Map<String, String> env = new HashMap<>(environment);
    overrides.forEach(
        (key, value) -> {
          if (value.isEmpty()) {
            env.remove(key);
          } else {
            env.put(key, value);
          }
        });
    KeytoolContext context = contextChange.apply(KeytoolContext.of(env, clock));
    CommandLine commandLine = Keytool.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliResult(exitCode, out.toString(), err.toString());
  }

  /** Changes the context of later runs (fault injection). */
  void changeContext(UnaryOperator<KeytoolContext> change) {
    this.contextChange = change;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  KeyRegistryDao dao() {
    return jdbi.onDemand(KeyRegistryDao.class);
  }

  RegisteredKey key(String kid) {
    return dao().findByKid(kid).orElseThrow(() -> new AssertionError("no key " + kid));
  }

  KeyState state(String kid) {
    return key(kid).state();
  }

  List<RegisteredKey> keys() {
    return dao().listAll();
  }

  List<RegisteredKey> keys(KeyPurpose purpose) {
    return dao().listByPurpose(purpose);
  }

  Optional<RegisteredKey> active(KeyPurpose purpose) {
    return dao().findActive(purpose);
  }

  List<KeyEvent> events(String kid) {
    return dao().eventsOf(kid);
  }

  /** The token, opened in this JVM the way a service would, to look at its objects. */
  HsmToken hsm() throws Exception {
    return HsmToken.open(new HsmSettings(softHsm.library(), softHsm.label()), softHsm.userPin());
  }

  SortedSet<String> hsmLabels() throws Exception {
    return hsm().labels();
  }

  /**
   * Registry and HSM agree: every key the registry says exists (not DESTROYED) has its HSM key, and
   * every HSM key is registered.
   */
  void assertRegistryAndHsmAgree() throws Exception {
    SortedSet<String> labels = hsmLabels();
    List<String> live =
        keys().stream()
            .filter(key -> key.state() != KeyState.DESTROYED)
            .map(RegisteredKey::hsmLabel)
            .sorted()
            .toList();
    assertThat(labels).as("HSM labels vs live registry keys").containsExactlyElementsOf(live);
  }

  /**
   * Generates a key in the HSM behind keytool's back, as an interrupted run (or another tool)
   * leaves one: labelled, with a throw-away certificate, unknown to the registry.
   */
  void strayHsmKey(String label) throws Exception {
    Instant now = Instant.now();
    hsm()
        .generateKeyPair(
            label,
            HsmKeyType.EC_P256,
            (publicKey, name) ->
                new X509Certificate[] {
                  Certificates.placeholder(publicKey, name, now, now.plus(Duration.ofDays(1)))
                });
  }

  /** Empties registry and HSM, for a test that needs a fresh deployment. */
  void reset() throws Exception {
    try (Connection connection = db.openPrimary();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE keys.key_event, keys.signing_key");
    }
    HsmToken hsm = hsm();
    for (String label : hsm.labels()) {
      hsm.deleteKey(label);
    }
    clock.set(START);
    changeContext(UnaryOperator.identity());
  }

  /** Runs {@code init} and returns the root's kid. */
  String init() {
    run("init").succeeded();
    return active(KeyPurpose.ROOT).orElseThrow().kid();
  }

  /** Runs {@code generate} and returns the new kid. */
  String generate(String purpose, String alg) {
    List<String> before = keys().stream().map(RegisteredKey::kid).toList();
    run("generate", "--purpose", purpose, "--alg", alg).succeeded();
    return keys().stream()
        .map(RegisteredKey::kid)
        .filter(kid -> !before.contains(kid))
        .findFirst()
        .orElseThrow();
  }

  /** Generate, publish, wait the lead time, activate: an ACTIVE key, the normal way. */
  String activeKey(String purpose, String alg) {
    String kid = generate(purpose, alg);
    run("publish", kid).succeeded();
    clock.advance(net.appstore.keytool.lifecycle.LifecyclePolicy.DEFAULT_KEY_CACHE_AGE);
    run("activate", kid).succeeded();
    return kid;
  }
}
