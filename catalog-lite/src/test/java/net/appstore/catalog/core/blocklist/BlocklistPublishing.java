package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.testing.TestSigningRoot;
import net.appstore.catalog.testing.TestTls;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.tls.TestPki;

/**
 * Test fixture: the {@code blocklist-publish} command of the real application with the real config
 * file, signing over mutual TLS through {@link StubSignerServer} ({@link #start}) or the real
 * signer ({@link #withSigner}).
 */
public final class BlocklistPublishing implements AutoCloseable {

  /**
   * Where and how the command reaches a signer, the root its key must chain to, and the blocklist's
   * {@code iss} (one the signer lets the catalog sign for; null: the config file's).
   */
  public record Signer(
      URI baseUri,
      URI jwksUri,
      String pinnedRootPem,
      Path trustStore,
      Path clientKeyStore,
      String issuer) {}

  private static final String PREFIX = "catalog-command";

  private final PostgresTestDatabase db;
  private final Path dir;
  private final Signer signer;
  private final StubSignerServer stub;

  private BlocklistPublishing(
      PostgresTestDatabase db, Path dir, Signer signer, StubSignerServer stub) {
    this.db = db;
    this.dir = dir;
    this.signer = signer;
    this.stub = stub;
  }

  /** With the stub signer, its key certified by {@link TestSigningRoot#shared()}. */
  public static BlocklistPublishing start(PostgresTestDatabase db, Path dir) throws Exception {
    StubSignerServer stub = new StubSignerServer(TestTls.withKey(TestTls.pki().serverKeyStore()));
    return new BlocklistPublishing(
        db,
        dir,
        new Signer(
            stub.baseUri(),
            stub.jwksUri(),
            TestSigningRoot.shared().pem(),
            TestTls.pki().trustStore(),
            TestTls.clientKeyStore(),
            null),
        stub);
  }

  /** With a signer running elsewhere (the real one). */
  public static BlocklistPublishing withSigner(PostgresTestDatabase db, Path dir, Signer signer) {
    return new BlocklistPublishing(db, dir, signer, null);
  }

  public String jwksJson() {
    return stub.jwksJson();
  }

  public void signerUnavailableFor(int requests) {
    stub.unavailableFor(requests);
  }

  /** Verifies a token as an independent client would (jose4j, no Nimbus). */
  public static JsonNode verifyIndependently(String token, String jwks) throws Exception {
    return IndependentJwsVerifier.verify(token, jwks);
  }

  /** The same, and the key's {@code x5c} leaf must be issued by {@code pinnedRoot}. */
  public static JsonNode verifyIndependently(
      String token, String jwks, java.security.cert.X509Certificate pinnedRoot) throws Exception {
    return IndependentJwsVerifier.verify(token, jwks, pinnedRoot);
  }

  /** Outcome of one command run. */
  public record Result(Optional<Throwable> error, String stdout, String stderr) {}

  public Result publish(String... flags) {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put(PREFIX + ".primaryDatabase.url", db.primaryJdbcUrl());
    overrides.put(PREFIX + ".primaryDatabase.user", db.user());
    overrides.put(PREFIX + ".primaryDatabase.password", db.password());
    overrides.put(PREFIX + ".blocklist.directory", dir.toString());
    overrides.put(PREFIX + ".blocklist.signerUrl", signer.baseUri().toString());
    overrides.put(PREFIX + ".blocklist.signerJwksUrl", signer.jwksUri().toString());
    overrides.put(PREFIX + ".blocklist.pinnedRoot", signer.pinnedRootPem());
    if (signer.issuer() != null) {
      overrides.put(PREFIX + ".blocklist.issuer", signer.issuer());
    }
    overrides.put(PREFIX + ".tlsClient.trustStorePath", signer.trustStore().toString());
    overrides.put(PREFIX + ".tlsClient.trustStorePassword", TestPki.PASSWORD);
    overrides.put(PREFIX + ".tlsClient.keyStorePath", signer.clientKeyStore().toString());
    overrides.put(PREFIX + ".tlsClient.keyStorePassword", TestPki.PASSWORD);
    overrides.forEach(System::setProperty);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CatalogApplication application = new CatalogApplication();
      Bootstrap<CatalogConfiguration> bootstrap = new Bootstrap<>(application);
      application.initialize(bootstrap);
      // Own property prefix: a signer running in this JVM keeps its dw.* overrides set.
      bootstrap.setConfigurationFactoryFactory(
          (klass, validator, mapper, prefix) ->
              new YamlConfigurationFactory<>(klass, validator, mapper, PREFIX));
      String[] args = new String[flags.length + 2];
      args[0] = "blocklist-publish";
      System.arraycopy(flags, 0, args, 1, flags.length);
      args[args.length - 1] = "config/catalog.yml";
      Optional<Throwable> error =
          new Cli(
                  new JarLocation(CatalogApplication.class),
                  bootstrap,
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8))
              .run(args);
      return new Result(
          error, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      overrides.keySet().forEach(System::clearProperty);
    }
  }

  @Override
  public void close() {
    if (stub != null) {
      stub.close();
    }
  }
}
