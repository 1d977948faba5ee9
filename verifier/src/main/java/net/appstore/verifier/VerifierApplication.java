package net.appstore.verifier;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import net.appstore.receipt.verify.ReceiptVerifier;
import net.appstore.service.OpsEndpointsBundle;
import net.appstore.service.db.ReplicaLagMonitor;
import net.appstore.verifier.core.CachedKeySource;
import net.appstore.verifier.core.KeySetRefresher;
import net.appstore.verifier.core.PurchaseCheck;
import net.appstore.verifier.core.ReceiptVerification;
import net.appstore.verifier.db.JdbcPurchaseRecords;
import net.appstore.verifier.db.PurchaseDatabases;
import net.appstore.verifier.db.PurchaseDatabases.PurchaseDatabase;
import net.appstore.verifier.health.KeySetHealthCheck;
import net.appstore.verifier.health.PurchaseReplicaHealthCheck;
import net.appstore.verifier.resources.OpenCorsFilter;
import net.appstore.verifier.resources.RefreshKeysTask;
import net.appstore.verifier.resources.VerifyServlet;

/**
 * The verifier: {@code POST /v1/verify} over HTTPS, stateless, public. Keys from the signer's JWKS
 * (trusted only through the pinned root), purchases from the replica with a bounded primary
 * fallback. Degrades as FAILURE-MODES.md F7-F11 describe: it answers 503, never a wrong verdict,
 * when it cannot decide.
 */
public class VerifierApplication extends Application<VerifierConfiguration> {

  private final Clock clock;

  public VerifierApplication() {
    this(Clock.systemUTC());
  }

  /** With a given clock for receipt times (tests); caches and timeouts use the system ticker. */
  public VerifierApplication(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static void main(String[] args) throws Exception {
    new VerifierApplication().run(args);
  }

  @Override
  public String getName() {
    return "verifier";
  }

  @Override
  public void initialize(Bootstrap<VerifierConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addBundle(new OpsEndpointsBundle("verifier"));
  }

  @Override
  public void run(VerifierConfiguration config, Environment environment) {
    MetricRegistry metrics = environment.metrics();

    KeysFactory keysConfig = config.getKeys();
    ExecutorService fetchExecutor =
        environment
            .lifecycle()
            .executorService("jwks-fetch-%d")
            .minThreads(1)
            .maxThreads(1)
            .build();
    CachedKeySource keys = keysConfig.buildKeySource(fetchExecutor, metrics);
    environment
        .lifecycle()
        .manage(
            new KeySetRefresher(
                keys, environment.lifecycle().scheduledExecutorService("jwks-refresh").build()));
    ReceiptVerifier verifier =
        new ReceiptVerifier(
            keys, keysConfig.chainValidator(), config.getReceipts().settings(), clock);

    PurchaseDatabases databases = new PurchaseDatabases();
    PurchaseDatabase replica = databases.open(environment, config.getReplicaDatabase(), "replica");
    PurchaseDatabase primary = databases.open(environment, config.getPrimaryDatabase(), "primary");
    PurchasesFactory purchasesConfig = config.getPurchases();
    PurchaseCheck purchases =
        purchasesConfig.build(
            new JdbcPurchaseRecords(replica.dataSource(), "replica"),
            new JdbcPurchaseRecords(primary.dataSource(), "primary"),
            clock,
            metrics);

    ReceiptVerification verification =
        new ReceiptVerification(
            verifier, purchases, keysConfig.getRetryAfter().toJavaDuration(), metrics);
    environment
        .servlets()
        .addServlet(
            "verify",
            new VerifyServlet(
                verification,
                Math.toIntExact(config.getReceipts().getMaxBodySize().toBytes()),
                environment.getObjectMapper()))
        .addMapping("/v1/verify", "/v1/verify/");
    environment
        .servlets()
        .addFilter("open-cors", new OpenCorsFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");

    environment.healthChecks().register("key-set", new KeySetHealthCheck(keys));
    environment
        .healthChecks()
        .register(
            "purchase-replica",
            new PurchaseReplicaHealthCheck(
                replica.jdbi(), purchasesConfig.getReplicaLagWindow().toJavaDuration()));
    environment
        .lifecycle()
        .manage(
            new ReplicaLagMonitor(
                replica.jdbi(),
                environment.lifecycle().scheduledExecutorService("replica-lag").build(),
                Duration.ofSeconds(5),
                metrics,
                "verifier.replica.lag_seconds"));
    environment.admin().addTask(new RefreshKeysTask(keys));
  }
}
