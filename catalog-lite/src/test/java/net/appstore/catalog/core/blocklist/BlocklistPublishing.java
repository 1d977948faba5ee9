package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.testing.TestTls;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.tls.TestPki;

/**
 * Test fixture: the {@code blocklist-publish} command of the real application with the real config
 * file, signing through {@link StubSignerServer} over mutual TLS.
 */
public final class BlocklistPublishing implements AutoCloseable {

  private final PostgresTestDatabase db;
  private final Path dir;
  private final StubSignerServer signer;
  private final Path clientKeyStore;

  private BlocklistPublishing(
      PostgresTestDatabase db, Path dir, StubSignerServer signer, Path key) {
    this.db = db;
    this.dir = dir;
    this.signer = signer;
    this.clientKeyStore = key;
  }

  public static BlocklistPublishing start(PostgresTestDatabase db, Path dir) throws Exception {
    return new BlocklistPublishing(
        db,
        dir,
        new StubSignerServer(TestTls.withKey(TestTls.pki().serverKeyStore())),
        TestTls.clientKeyStore());
  }

  public String jwksJson() {
    return signer.jwksJson();
  }

  public void signerUnavailableFor(int requests) {
    signer.unavailableFor(requests);
  }

  /** Verifies a token as an independent client would (JDK crypto, no Nimbus). */
  public static JsonNode verifyIndependently(String token, String jwks) throws Exception {
    return IndependentJwsVerifier.verify(token, jwks);
  }

  /** Outcome of one command run. */
  public record Result(Optional<Throwable> error, String stdout, String stderr) {}

  public Result publish(String... flags) {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("dw.primaryDatabase.url", db.primaryJdbcUrl());
    overrides.put("dw.primaryDatabase.user", db.user());
    overrides.put("dw.primaryDatabase.password", db.password());
    overrides.put("dw.blocklist.directory", dir.toString());
    overrides.put("dw.blocklist.signerUrl", signer.baseUri().toString());
    overrides.put("dw.blocklist.signerJwksUrl", signer.jwksUri().toString());
    overrides.put("dw.tlsClient.trustStorePath", TestTls.pki().trustStore().toString());
    overrides.put("dw.tlsClient.trustStorePassword", TestPki.PASSWORD);
    overrides.put("dw.tlsClient.keyStorePath", clientKeyStore.toString());
    overrides.put("dw.tlsClient.keyStorePassword", TestPki.PASSWORD);
    overrides.forEach(System::setProperty);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CatalogApplication application = new CatalogApplication();
      Bootstrap<CatalogConfiguration> bootstrap = new Bootstrap<>(application);
      application.initialize(bootstrap);
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
    signer.close();
  }
}
