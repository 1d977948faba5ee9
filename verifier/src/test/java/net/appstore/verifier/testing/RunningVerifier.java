package net.appstore.verifier.testing;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import net.appstore.receipt.testing.Pem;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.tls.TestPki;
import net.appstore.verifier.VerifierApplication;
import net.appstore.verifier.VerifierConfiguration;

/**
 * The real verifier service, started from the real {@code config/verifier.yml} with test values
 * (random ports, the test PKI, the test database, the stand-in JWKS server, the vectors' root and
 * issuer) and a given clock for receipt times.
 */
public final class RunningVerifier implements AutoCloseable {

  public static final String CONFIG = "config/verifier.yml";

  private final DropwizardTestSupport<VerifierConfiguration> support;

  private RunningVerifier(DropwizardTestSupport<VerifierConfiguration> support) {
    this.support = support;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds the configuration overrides and starts the service. */
  public static final class Builder {
    private Clock clock = TestReceipts.VECTORS.clock();
    private final List<ConfigOverride> overrides = new ArrayList<>();

    private Builder() {
      TestPki pki = TestPki.shared();
      set("server.applicationConnectors[0].port", "0");
      set("server.applicationConnectors[0].keyStorePath", pki.serverKeyStore().toString());
      set("server.applicationConnectors[0].keyStorePassword", TestPki.PASSWORD);
      set("server.adminConnectors[0].port", "0");
      set("keys.pinnedRoot", rootPemFile().toString());
      set("keys.trustStorePath", pki.trustStore().toString());
      set("keys.trustStorePassword", TestPki.PASSWORD);
      set("receipts.allowedIssuers", "https://store.example");
      set("logging.level", "WARN");
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder jwks(JwksServer server) {
      return set("keys.jwksUrl", server.url().toString());
    }

    public Builder database(PostgresTestDatabase database) {
      return databases(
          database.primaryJdbcUrl(),
          database.replicaJdbcUrl(),
          database.user(),
          database.password());
    }

    /** Null user or password: the default postgres/postgres (or what the URLs carry). */
    public Builder databases(String primaryUrl, String replicaUrl, String user, String password) {
      set("replicaDatabase.url", replicaUrl);
      set("primaryDatabase.url", primaryUrl);
      for (String db : new String[] {"replicaDatabase", "primaryDatabase"}) {
        set(db + ".user", user == null ? "postgres" : user);
        set(db + ".password", password == null ? "postgres" : password);
      }
      return this;
    }

    public Builder set(String key, String value) {
      overrides.add(ConfigOverride.config(key, value));
      return this;
    }

    public RunningVerifier start() {
      Clock receiptClock = clock;
      DropwizardTestSupport<VerifierConfiguration> support =
          new DropwizardTestSupport<>(
              VerifierApplication.class, CONFIG, overrides.toArray(ConfigOverride[]::new)) {
            @Override
            public Application<VerifierConfiguration> newApplication() {
              return new VerifierApplication(receiptClock);
            }
          };
      try {
        support.before();
      } catch (Exception e) {
        throw new IllegalStateException("the verifier did not start", e);
      }
      return new RunningVerifier(support);
    }

    private static Path rootPemFile() {
      try {
        Path file = Files.createTempFile("verifier-pinned-root-", ".pem");
        file.toFile().deleteOnExit();
        return Files.writeString(file, Pem.certificate(TestReceipts.VECTORS.root()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public URI verifyUri() {
    return URI.create("https://localhost:" + support.getLocalPort() + "/v1/verify");
  }

  public VerifyClient client() {
    return new VerifyClient(verifyUri());
  }

  public URI admin(String path) {
    return URI.create("http://127.0.0.1:" + support.getAdminPort() + path);
  }

  public HttpResponse<String> adminGet(String path) {
    return VerifyClient.call(HttpRequest.newBuilder(admin(path)).GET().build());
  }

  public HttpResponse<String> adminPost(String path) {
    return VerifyClient.call(
        HttpRequest.newBuilder(admin(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  public MetricRegistry metrics() {
    return support.getEnvironment().metrics();
  }

  public long count(String counter) {
    return metrics().counter(counter).getCount();
  }

  @Override
  public void close() {
    support.after();
  }
}
