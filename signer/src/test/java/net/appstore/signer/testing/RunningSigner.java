package net.appstore.signer.testing;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.appstore.signer.SignerApplication;
import net.appstore.signer.SignerConfiguration;
import net.appstore.signer.db.SignerMigrations;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmToken;
import net.appstore.testkit.tls.TestPki;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real signer, in this JVM, started from the real {@code config/signer.yml} with a test
 * environment: the class's SoftHSM2 token and database, the shared test PKI, random ports. Only
 * timing knobs are overridden. A recovery exit is recorded instead of ending the JVM.
 */
public final class RunningSigner implements AutoCloseable {

  public static final String ISSUER = "https://store.example";
  public static final String STORE_CALLER = "store-caller";
  public static final String CATALOG_CALLER = "catalog";

  private final DropwizardTestSupport<SignerConfiguration> support;
  private final List<Integer> exitRequests;

  private RunningSigner(
      DropwizardTestSupport<SignerConfiguration> support, List<Integer> exitRequests) {
    this.support = support;
    this.exitRequests = exitRequests;
  }

  /** The environment a deployment would give the signer, pointing at test resources. */
  public static Map<String, String> environment(SoftHsmToken hsm, PostgresTestDatabase db) {
    TestPki pki = TestPki.shared();
    Map<String, String> env = new HashMap<>();
    env.put("PRIMARY_JDBC_URL", db.primaryJdbcUrl());
    env.put("PGUSER", db.user());
    env.put("PGPASSWORD", db.password());
    env.put("TLS_KEYSTORE", pki.serverKeyStore().toString());
    env.put("TLS_KEYSTORE_PASSWORD", TestPki.PASSWORD);
    env.put("TRUSTSTORE", pki.trustStore().toString());
    env.put("TRUSTSTORE_PASSWORD", TestPki.PASSWORD);
    env.put("PKCS11_LIBRARY", hsm.library().toString());
    env.put("HSM_TOKEN_LABEL", hsm.label());
    env.put("HSM_PIN", new String(hsm.userPin()));
    env.put("SIGNER_PORT", "0");
    env.put("SIGNER_ADMIN_PORT", "0");
    env.put("STORE_ISSUER", ISSUER);
    env.put("STORE_PUBLIC_URL", ISSUER);
    env.put("VERIFIER_URL", "https://verify.store.example");
    env.put("STORE_CALLER", STORE_CALLER);
    env.put("CATALOG_CALLER", CATALOG_CALLER);
    return env;
  }

  public static RunningSigner start(
      SoftHsmToken hsm, PostgresTestDatabase db, ConfigOverride... overrides) throws Exception {
    return start("config/signer.yml", hsm, db, overrides);
  }

  /**
   * For tests of other modules (signer's test-jar): {@code configFile} is the signer's {@code
   * config/signer.yml} as seen from their working directory, e.g. {@code
   * ../signer/config/signer.yml}.
   */
  public static RunningSigner start(
      String configFile, SoftHsmToken hsm, PostgresTestDatabase db, ConfigOverride... overrides)
      throws Exception {
    Map<String, String> env = environment(hsm, db);
    List<Integer> exits = new CopyOnWriteArrayList<>();
    ConfigOverride[] all = new ConfigOverride[overrides.length + 3];
    all[0] = ConfigOverride.config("logging.level", "WARN");
    all[1] = ConfigOverride.config("keys.refreshInterval", "200ms");
    all[2] = ConfigOverride.config("jwks.refreshInterval", "0s");
    System.arraycopy(overrides, 0, all, 3, overrides.length);
    DropwizardTestSupport<SignerConfiguration> support =
        new DropwizardTestSupport<>(SignerApplication.class, configFile, all) {
          @Override
          public Application<SignerConfiguration> newApplication() {
            SignerApplication app = new SignerApplication(env);
            app.onRecoveryExit(exits::add);
            return app;
          }
        };
    support.before();
    return new RunningSigner(support, exits);
  }

  /** A migrated database: what {@code db-migrate} does before the signer starts. */
  public static Jdbi migrated(PostgresTestDatabase db) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.primaryJdbcUrl());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    SignerMigrations.migrate(dataSource);
    return Jdbi.create(dataSource)
        .installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin());
  }

  public URI baseUri() {
    return URI.create("https://localhost:" + support.getLocalPort() + "/");
  }

  /** A client presenting a certificate with subject {@code CN=callerName} from the test CA. */
  public SignerClient client(String callerName) {
    TestPki pki = TestPki.shared();
    return SignerClient.of(baseUri(), pki.trustStore(), pki.issueClient(callerName));
  }

  /** A client presenting no certificate. */
  public SignerClient anonymous() {
    return SignerClient.of(baseUri(), TestPki.shared().trustStore(), null);
  }

  public SignerClient admin() {
    return SignerClient.plain(URI.create("http://127.0.0.1:" + support.getAdminPort() + "/"));
  }

  public SignerConfiguration configuration() {
    return support.getConfiguration();
  }

  public com.codahale.metrics.MetricRegistry metrics() {
    return support.getEnvironment().metrics();
  }

  /** Exit statuses the signer asked for (HSM recovery), instead of ending this JVM. */
  public List<Integer> exitRequests() {
    return exitRequests;
  }

  @Override
  public void close() {
    support.after();
  }
}
