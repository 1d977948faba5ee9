package net.appstore.catalog.testing;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.tls.TestPki;

/**
 * The real service, started from the real {@code config/catalog.yml} with only what differs in a
 * test overridden: database URLs, random ports, the test PKI, the identity provider and the
 * blocklist directory.
 */
public final class RunningCatalog implements AutoCloseable {

  private final DropwizardTestSupport<CatalogConfiguration> support;
  private final HttpsClient client;

  private RunningCatalog(DropwizardTestSupport<CatalogConfiguration> support) {
    this.support = support;
    this.client = new HttpsClient(URI.create("https://localhost:" + support.getLocalPort() + "/"));
  }

  /**
   * @param idpBase the identity provider's base URL (its issuer), or null for one that is never
   *     reachable
   */
  public static RunningCatalog start(
      PostgresTestDatabase db, URI idpBase, Path blocklistDir, ConfigOverride... extra)
      throws Exception {
    return start(db, db.replicaJdbcUrl(), idpBase, blocklistDir, extra);
  }

  /**
   * As {@link #start(PostgresTestDatabase, URI, Path, ConfigOverride...)}, with search on {@code
   * searchJdbcUrl} (its own dependency, F3). An override must not repeat a key set here: the test
   * support applies overrides in no fixed order.
   */
  public static RunningCatalog start(
      PostgresTestDatabase db,
      String searchJdbcUrl,
      URI idpBase,
      Path blocklistDir,
      ConfigOverride... extra)
      throws Exception {
    TestPki pki = TestTls.pki();
    String issuer = idpBase == null ? "https://localhost:9" : stripSlash(idpBase.toString());
    List<ConfigOverride> overrides =
        new ArrayList<>(
            List.of(
                ConfigOverride.config("primaryDatabase.url", db.primaryJdbcUrl()),
                ConfigOverride.config("primaryDatabase.user", db.user()),
                ConfigOverride.config("primaryDatabase.password", db.password()),
                ConfigOverride.config("replicaDatabase.url", db.replicaJdbcUrl()),
                ConfigOverride.config("replicaDatabase.user", db.user()),
                ConfigOverride.config("replicaDatabase.password", db.password()),
                ConfigOverride.config("searchDatabase.url", searchJdbcUrl),
                ConfigOverride.config("searchDatabase.user", db.user()),
                ConfigOverride.config("searchDatabase.password", db.password()),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config(
                    "server.applicationConnectors[0].keyStorePath",
                    pki.serverKeyStore().toString()),
                ConfigOverride.config(
                    "server.applicationConnectors[0].keyStorePassword", TestPki.PASSWORD),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("tlsClient.trustStorePath", pki.trustStore().toString()),
                ConfigOverride.config("tlsClient.trustStorePassword", TestPki.PASSWORD),
                ConfigOverride.config("identity.issuer", issuer),
                ConfigOverride.config("identity.jwksUrl", issuer + "/.well-known/jwks.json"),
                ConfigOverride.config("identity.refreshRateLimit", "1s"),
                ConfigOverride.config("blocklist.directory", blocklistDir.toString()),
                ConfigOverride.config("logging.level", "WARN")));
    overrides.addAll(List.of(extra));
    DropwizardTestSupport<CatalogConfiguration> support =
        new DropwizardTestSupport<>(
            CatalogApplication.class,
            "config/catalog.yml",
            overrides.toArray(ConfigOverride[]::new));
    support.before();
    return new RunningCatalog(support);
  }

  public HttpsClient client() {
    return client;
  }

  public HttpsClient admin() {
    return new HttpsClient(URI.create("http://127.0.0.1:" + support.getAdminPort() + "/"));
  }

  public MetricRegistry metrics() {
    return support.getEnvironment().metrics();
  }

  public CatalogConfiguration configuration() {
    return support.getConfiguration();
  }

  @Override
  public void close() {
    support.after();
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
