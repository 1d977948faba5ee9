package net.appstore.signer;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import net.appstore.keys.KeyPurpose;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.verify.VerifierSettings;
import net.appstore.service.OpsEndpointsBundle;
import net.appstore.signer.cli.DbMigrateCommand;
import net.appstore.signer.config.CallerFactory;
import net.appstore.signer.config.HsmFactory;
import net.appstore.signer.config.IssuerFactory;
import net.appstore.signer.core.ActiveKeys;
import net.appstore.signer.core.BlocklistIssuer;
import net.appstore.signer.core.BlocklistOrderParser;
import net.appstore.signer.core.Caller;
import net.appstore.signer.core.CallerPolicy;
import net.appstore.signer.core.HsmAvailability;
import net.appstore.signer.core.HsmConnection;
import net.appstore.signer.core.HsmMonitor;
import net.appstore.signer.core.HsmProbe;
import net.appstore.signer.core.HsmSigner;
import net.appstore.signer.core.IssuanceWriter;
import net.appstore.signer.core.IssuerProfile;
import net.appstore.signer.core.PublishedKeySetCache;
import net.appstore.signer.core.ReceiptIssuer;
import net.appstore.signer.core.ReceiptOrderParser;
import net.appstore.signer.core.SignatureMetrics;
import net.appstore.signer.db.ParsedOnceTemplateEngine;
import net.appstore.signer.health.ActiveKeyHealthCheck;
import net.appstore.signer.health.HsmHealthCheck;
import net.appstore.signer.resources.BlocklistsResource;
import net.appstore.signer.resources.BodyLimitFilter;
import net.appstore.signer.resources.CallerAuthenticationFilter;
import net.appstore.signer.resources.JwksResource;
import net.appstore.signer.resources.ReceiptsResource;
import net.appstore.signer.resources.RefusalMappers;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The signer: signs receipts and blocklists with keys that never leave the HSM, publishes the JWKS.
 * Commands: {@code server CONFIG} and {@code db-migrate CONFIG}. The JVM needs {@code --add-exports
 * jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} and, for SoftHSM2, {@code
 * SOFTHSM2_CONF}. Exit status {@value HsmMonitor#EXIT_HSM_RECOVERED} asks the supervisor for a
 * restart after an HSM outage (see {@link HsmMonitor}).
 */
public class SignerApplication extends Application<SignerConfiguration> {

  private final Map<String, String> environment;
  private IntConsumer exit = HsmMonitor.systemExit();

  public static void main(String[] args) throws Exception {
    new SignerApplication().run(args);
  }

  /** The signer configured from the process environment. */
  public SignerApplication() {
    this(System.getenv());
  }

  /**
   * The signer configured from {@code environment} instead of the process environment (tests).
   * Substitution is strict either way: a variable without a value and without a default stops the
   * start, so a mistyped name can never become, say, a literal PIN tried against the HSM.
   */
  public SignerApplication(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Replaces how the process ends for HSM recovery; tests observe the request instead. */
  public void onRecoveryExit(IntConsumer exit) {
    this.exit = exit;
  }

  /** Strict {@code ${VAR}} / {@code ${VAR:-default}} substitution from {@code environment}. */
  public static StringSubstitutor substitutor(Map<String, String> environment) {
    StringSubstitutor substitutor =
        new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(environment));
    substitutor.setEnableUndefinedVariableException(true);
    return substitutor;
  }

  @Override
  public String getName() {
    return "signer";
  }

  @Override
  public void initialize(Bootstrap<SignerConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), substitutor(environment)));
    bootstrap.addBundle(new OpsEndpointsBundle("signer"));
    bootstrap.addCommand(new DbMigrateCommand());
  }

  @Override
  public void run(SignerConfiguration config, Environment environment) {
    MetricRegistry metrics = environment.metrics();
    Clock clock = Clock.systemUTC();
    SignatureMetrics signatureMetrics = new SignatureMetrics(metrics);
    CallerPolicy policy = callerPolicy(config);
    requireLifetimes(config);

    Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), "registry-db");
    jdbi.installPlugin(new PostgresPlugin());
    // Dropwizard's name-prepending engine re-lexes every statement's SQL; same SQL, parsed once.
    jdbi.setTemplateEngine(new ParsedOnceTemplateEngine(new DefinedAttributeTemplateEngine()));

    HsmFactory hsmConfig = config.getHsm();
    HsmAvailability availability = new HsmAvailability(clock, hsmConfig.getRetryAfter());
    HsmConnection hsm =
        HsmConnection.open(
            hsmConfig.settings(), hsmConfig.pin(), hsmConfig.getCanaryTimeout(), availability);
    environment.lifecycle().manage(closing(hsm));

    VerifierSettings verifySettings =
        new VerifierSettings(
            policy.issuerNames(),
            EnumSet.allOf(ReceiptType.class),
            config.getReceipts().getMaxClockSkew());
    ActiveKeys keys =
        new ActiveKeys(
            jdbi,
            hsm,
            verifySettings,
            clock,
            config.getKeys().getMaxStaleness(),
            hsmConfig.getRetryAfter());
    keys.refresh();
    environment.lifecycle().manage(refreshing(keys, config.getKeys().getRefreshInterval()));

    ExecutorService hsmWorkers =
        Executors.newFixedThreadPool(
            hsmConfig.getMaxConcurrentSignatures(),
            task -> {
              Thread thread = new Thread(task, "hsm-signer");
              thread.setDaemon(true); // a hung PKCS#11 call must not keep the JVM alive
              return thread;
            });
    environment.lifecycle().manage(shuttingDown(hsmWorkers));
    HsmSigner signer =
        new HsmSigner(
            availability,
            hsmConfig.getMaxConcurrentSignatures(),
            hsmConfig.getMaxWait(),
            hsmConfig.getSignTimeout(),
            hsmConfig.getRetryAfter(),
            hsmWorkers,
            signatureMetrics);

    HsmProbe probe = new HsmProbe(hsmConfig.settings(), hsmConfig.getProbeTimeout());
    HsmMonitor monitor =
        new HsmMonitor(
            hsm,
            availability,
            keys::hsmLabels,
            labels -> probe.run(hsmConfig.pin(), labels),
            exit,
            hsmConfig.getCanaryInterval(),
            hsmConfig.getProbeInterval(),
            hsmConfig.isRestartWhenRecovered(),
            clock);
    environment.lifecycle().manage(monitor);

    var issuance = config.getIssuance();
    IssuanceWriter writer =
        new IssuanceWriter(
            jdbi,
            issuance.getMaxBatch(),
            issuance.getQueueCapacity(),
            issuance.getWriteTimeout(),
            issuance.getRetryAfter(),
            metrics);
    environment.lifecycle().manage(writer);

    ReceiptIssuer receipts =
        new ReceiptIssuer(
            policy,
            keys,
            signer,
            writer,
            jdbi,
            config.getReceipts().lifetimes(),
            clock,
            issuance.getRetryAfter(),
            signatureMetrics);
    BlocklistIssuer blocklists =
        new BlocklistIssuer(
            keys, signer, writer, clock, hsmConfig.getRetryAfter(), signatureMetrics);

    registerFilters(config, environment, policy, signatureMetrics);
    var jersey = environment.jersey();
    jersey.register(
        new ReceiptsResource(
            new ReceiptOrderParser(clock, config.getReceipts().getMaxClockSkew()),
            receipts,
            signatureMetrics));
    jersey.register(
        new BlocklistsResource(
            new BlocklistOrderParser(clock, config.getReceipts().getMaxClockSkew()),
            blocklists,
            signatureMetrics));
    jersey.register(
        new JwksResource(
            new PublishedKeySetCache(
                jdbi,
                keys::loadedKids,
                clock,
                config.getJwks().getRefreshInterval(),
                config.getJwks().getMaxStale(),
                issuance.getRetryAfter()),
            config.getJwks().getMaxAge()));
    jersey.register(new RefusalMappers.InvalidRequest(signatureMetrics));
    jersey.register(new RefusalMappers.NotAllowed(signatureMetrics));
    jersey.register(new RefusalMappers.Conflict(signatureMetrics));

    environment.healthChecks().register("hsm", new HsmHealthCheck(monitor, availability));
    environment
        .healthChecks()
        .register(
            "receipt-key",
            new ActiveKeyHealthCheck(
                keys, KeyPurpose.RECEIPT, true, config.getKeys().getExpiryWarning(), clock));
    environment
        .healthChecks()
        .register(
            "blocklist-key",
            new ActiveKeyHealthCheck(
                keys, KeyPurpose.BLOCKLIST, false, config.getKeys().getExpiryWarning(), clock));
    for (KeyPurpose purpose : ActiveKeys.signingPurposes()) {
      metrics.register(
          "signer.key." + purpose.wireName() + ".days_until_expiry",
          (Gauge<Double>) () -> ActiveKeyHealthCheck.daysUntilExpiry(keys, purpose, clock));
    }
    metrics.register(
        "signer.hsm.available", (Gauge<Integer>) () -> availability.isAvailable() ? 1 : 0);
  }

  private static CallerPolicy callerPolicy(SignerConfiguration config) {
    List<IssuerProfile> issuers = new ArrayList<>();
    for (Map.Entry<String, IssuerFactory> e : config.getIssuers().entrySet()) {
      issuers.add(e.getValue().build(e.getKey()));
    }
    List<Caller> callers = new ArrayList<>();
    for (Map.Entry<String, CallerFactory> e : config.getCallers().entrySet()) {
      List<ReceiptType> types = new ArrayList<>();
      for (String typ : e.getValue().getReceiptTypes()) {
        types.add(
            ReceiptType.fromClaimValue(typ)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "callers." + e.getKey() + ": unknown receipt typ " + typ)));
      }
      callers.add(
          new Caller(
              e.getKey(),
              e.getValue().getIssuers(),
              Set.copyOf(types),
              e.getValue().isBlocklists()));
    }
    return new CallerPolicy(callers, issuers);
  }

  /** Every typ a caller may have signed needs a configured lifetime; refuse to start otherwise. */
  private static void requireLifetimes(SignerConfiguration config) {
    Map<ReceiptType, java.time.Duration> lifetimes = config.getReceipts().lifetimes();
    for (Map.Entry<String, CallerFactory> e : config.getCallers().entrySet()) {
      for (String typ : e.getValue().getReceiptTypes()) {
        ReceiptType type = ReceiptType.fromClaimValue(typ).orElseThrow();
        if (!lifetimes.containsKey(type)) {
          throw new IllegalArgumentException(
              "callers." + e.getKey() + " may sign " + typ + ", but receipts.lifetimes has none");
        }
      }
    }
  }

  /** Caller authentication before body limits: an unknown caller's body is never read. */
  private static void registerFilters(
      SignerConfiguration config,
      Environment environment,
      CallerPolicy policy,
      SignatureMetrics metrics) {
    EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
    var servlets = environment.servlets();
    servlets
        .addFilter("caller-authentication", new CallerAuthenticationFilter(policy, metrics))
        .addMappingForUrlPatterns(request, true, "/v1/*");
    servlets
        .addFilter(
            "receipt-body-limit",
            new BodyLimitFilter(config.getReceipts().getMaxBodyBytes(), metrics))
        .addMappingForUrlPatterns(request, true, "/v1/receipts");
    servlets
        .addFilter(
            "blocklist-body-limit",
            new BodyLimitFilter(config.getBlocklists().getMaxBodyBytes(), metrics))
        .addMappingForUrlPatterns(request, true, "/v1/blocklists");
  }

  private static Managed closing(HsmConnection hsm) {
    return new Managed() {
      @Override
      public void stop() {
        hsm.close();
      }
    };
  }

  private static Managed shuttingDown(ExecutorService executor) {
    return new Managed() {
      @Override
      public void stop() {
        executor.shutdownNow();
      }
    };
  }

  private static Managed refreshing(ActiveKeys keys, java.time.Duration interval) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "active-keys-refresh");
              thread.setDaemon(true);
              return thread;
            });
    return new Managed() {
      @Override
      public void start() {
        scheduler.scheduleWithFixedDelay(
            keys::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        scheduler.shutdownNow();
      }
    };
  }
}
