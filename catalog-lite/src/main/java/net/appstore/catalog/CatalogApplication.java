package net.appstore.catalog;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.JSONUnauthorizedHandler;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import net.appstore.catalog.cli.BlocklistPublishCommand;
import net.appstore.catalog.cli.DbMigrateCommand;
import net.appstore.catalog.cli.ReconcileCommand;
import net.appstore.catalog.cli.SeedCommand;
import net.appstore.catalog.core.AppPages;
import net.appstore.catalog.core.CachePlumbing;
import net.appstore.catalog.core.CatalogPages;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.DatabaseGate;
import net.appstore.catalog.core.DeveloperStatistics;
import net.appstore.catalog.core.PageCaches;
import net.appstore.catalog.core.SearchService;
import net.appstore.catalog.core.TokenAuthenticator;
import net.appstore.catalog.core.UpdateCheck;
import net.appstore.catalog.core.blocklist.BlocklistPublisher;
import net.appstore.catalog.core.blocklist.BlocklistSchedule;
import net.appstore.catalog.core.blocklist.ServedBlocklist;
import net.appstore.catalog.core.purchase.CompletionJournal;
import net.appstore.catalog.core.purchase.CompletionReplayer;
import net.appstore.catalog.core.purchase.DirectedIdentifier;
import net.appstore.catalog.core.purchase.HttpPaymentGateway;
import net.appstore.catalog.core.purchase.HttpsReceiptSigner;
import net.appstore.catalog.core.purchase.PurchaseBodies;
import net.appstore.catalog.core.purchase.PurchaseFlow;
import net.appstore.catalog.core.purchase.PurchaseMetrics;
import net.appstore.catalog.core.purchase.Reconciler;
import net.appstore.catalog.core.purchase.ReconcilerSchedule;
import net.appstore.catalog.db.PurchaseRecords;
import net.appstore.catalog.resources.AppPurchasesResource;
import net.appstore.catalog.resources.AppsResource;
import net.appstore.catalog.resources.BlocklistEntriesResource;
import net.appstore.catalog.resources.BlocklistFileResource;
import net.appstore.catalog.resources.BlocklistPublishTask;
import net.appstore.catalog.resources.CacheClearTask;
import net.appstore.catalog.resources.CachedReadFilter;
import net.appstore.catalog.resources.CategoriesResource;
import net.appstore.catalog.resources.DeveloperResource;
import net.appstore.catalog.resources.HttpCaching;
import net.appstore.catalog.resources.PurchasesResource;
import net.appstore.catalog.resources.ReceiptsResource;
import net.appstore.catalog.resources.ReconcileTask;
import net.appstore.catalog.resources.RenderedManifests;
import net.appstore.catalog.resources.SearchResource;
import net.appstore.catalog.resources.UpdateResource;
import net.appstore.service.OpsEndpointsBundle;
import net.appstore.service.db.ReplicaLagMonitor;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * catalog-lite: browsing, app pages, reviews, search, update check and the signed blocklist, built
 * to degrade as FAILURE-MODES.md F1-F6, F15-F18 and F24-F27 describe.
 */
public class CatalogApplication extends Application<CatalogConfiguration> {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogApplication.class);

  public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";

  public static void main(String[] args) throws Exception {
    new CatalogApplication().run(args);
  }

  /** Exit codes: a command's documented code (reconcile: 2 = findings left), else 1. */
  @Override
  protected void onFatalError(Throwable t) {
    System.exit(ReconcileCommand.exitCode(t));
  }

  @Override
  public String getName() {
    return "catalog-lite";
  }

  @Override
  public void initialize(Bootstrap<CatalogConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(),
            // Substitution in variables: catalog.yml nests defaults, ${SEARCH_JDBC_URL:-${...}}.
            new EnvironmentVariableSubstitutor(false, true)));
    bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    bootstrap.addBundle(new OpsEndpointsBundle("catalog-lite"));
    bootstrap.addCommand(new DbMigrateCommand());
    bootstrap.addCommand(new SeedCommand());
    bootstrap.addCommand(new BlocklistPublishCommand());
    bootstrap.addCommand(new ReconcileCommand());
  }

  @Override
  public void run(CatalogConfiguration config, Environment environment) {
    MetricRegistry metrics = environment.metrics();
    ObjectMapper json = environment.getObjectMapper();
    Clock clock = Clock.systemUTC();

    JdbiFactory jdbiFactory = new JdbiFactory();
    Jdbi primary = jdbiFactory.build(environment, config.getPrimaryDatabase(), "primary");
    Jdbi replica = jdbiFactory.build(environment, config.getReplicaDatabase(), "replica");
    // Search is a dependency of its own (F3): its own pool, by default on the replica.
    Jdbi searchDatabase = jdbiFactory.build(environment, config.getSearchDatabase(), "search");
    primary.installPlugin(new PostgresPlugin());
    replica.installPlugin(new PostgresPlugin());
    searchDatabase.installPlugin(new PostgresPlugin());

    DatabaseGate replicaGate =
        config.getDatabaseBulkhead().build("replica-db", DATABASE_UNAVAILABLE, metrics);
    DatabaseGate searchGate =
        config.getSearchBulkhead().build("search-db", SearchService.UNAVAILABLE, metrics);
    DatabaseGate primaryGate =
        config.getPrimaryBulkhead().build("primary-db", DATABASE_UNAVAILABLE, metrics);

    int refreshThreads = config.getCache().getRefreshThreads();
    // Bounded: when the database is slow, surplus refreshes are dropped (the value at hand is
    // served) instead of queueing without end.
    ExecutorService refreshExecutor =
        environment
            .lifecycle()
            .executorService("cache-refresh-%d")
            .minThreads(refreshThreads)
            .maxThreads(refreshThreads)
            .workQueue(new ArrayBlockingQueue<>(1000))
            .rejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy())
            .build();
    PageCaches allCaches = new PageCaches();
    CachePlumbing caches =
        new CachePlumbing(
            config.getCache().settings(),
            json,
            Ticker.systemTicker(),
            refreshExecutor,
            metrics,
            allCaches);
    environment.admin().addTask(new CacheClearTask(allCaches, json));

    int pageSize = config.getListing().getPageSize();
    int maxPage = config.getListing().getMaxPage();
    CatalogPages pages = new CatalogPages(replica, replicaGate, pageSize, caches);
    AppPages appPages = new AppPages(replica, primary, replicaGate, primaryGate, caches);
    UpdateCheck updates = new UpdateCheck(replica, replicaGate, caches);
    SearchService search =
        new SearchService(
            searchDatabase,
            searchGate,
            pageSize,
            config.getSearchBulkhead().getRetryAfter().toJavaDuration(),
            caches);
    HttpCaching http = config.getHttpCaching().build();

    TokenAuthenticator identity =
        new TokenAuthenticator(config.getIdentity().build(config.getTlsClient().serverAuthOnly()));
    environment
        .jersey()
        .register(
            new AuthDynamicFeature(
                new OAuthCredentialAuthFilter.Builder<CatalogUser>()
                    .setAuthenticator(identity)
                    .setAuthorizer((user, role, request) -> user.roles().contains(role))
                    .setPrefix("Bearer")
                    .setRealm("catalog")
                    .setUnauthorizedHandler(new JSONUnauthorizedHandler())
                    .buildAuthFilter()));
    environment.jersey().register(RolesAllowedDynamicFeature.class);
    environment.jersey().register(new AuthValueFactoryProvider.Binder<>(CatalogUser.class));

    environment.jersey().register(new CategoriesResource(pages, http));
    environment.jersey().register(new AppsResource(pages, appPages, identity, http, json, maxPage));
    environment.jersey().register(new SearchResource(search, http, maxPage));
    RenderedManifests manifests = new RenderedManifests(json);
    environment.jersey().register(new UpdateResource(updates, http, manifests));
    // After the request id filter (OpsEndpointsBundle ran first), in front of Jersey.
    environment
        .servlets()
        .addFilter(
            "cached-reads", new CachedReadFilter(appPages, updates, manifests, http, metrics))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/v1/*");
    environment
        .jersey()
        .register(new DeveloperResource(new DeveloperStatistics(replica, replicaGate, clock)));
    environment.jersey().register(new BlocklistEntriesResource(primary, primaryGate));

    var blocklist = config.getBlocklist();
    ServedBlocklist served =
        new ServedBlocklist(
            blocklist.files(), json, clock, blocklist.getCheckEvery().toJavaDuration(), metrics);
    environment.jersey().register(new BlocklistFileResource(served, http));
    if (blocklist.signerWithoutPinnedRoot()) {
      LOG.warn(
          "blocklist publication is off: a signer is configured but blocklist.pinnedRoot"
              + " (ROOT_CERT) is not, and a key is never trusted unchecked");
    }
    if (blocklist.canPublish()) {
      BlocklistPublisher publisher =
          blocklist.buildPublisher(primary, config.getTlsClient(), json, clock, metrics);
      environment.admin().addTask(new BlocklistPublishTask(publisher, json));
      if (blocklist.getPublishEvery().toMilliseconds() > 0) {
        environment
            .lifecycle()
            .manage(
                new BlocklistSchedule(
                    publisher,
                    environment.lifecycle().scheduledExecutorService("blocklist-publisher").build(),
                    blocklist.getPublishEvery().toJavaDuration()));
      }
    }

    PurchaseFlow purchaseFlow = purchases(config, environment, primary, json, clock);
    environment.jersey().register(new AppPurchasesResource(purchaseFlow, json));
    environment.jersey().register(new PurchasesResource(purchaseFlow, json));
    environment.jersey().register(new ReceiptsResource(purchaseFlow, json));

    environment
        .lifecycle()
        .manage(
            new ReplicaLagMonitor(
                replica,
                environment.lifecycle().scheduledExecutorService("replica-lag").build(),
                Duration.ofSeconds(10),
                metrics,
                "database.replica.lag_seconds"));
  }

  /** The purchase flow, or null (purchases answer 503) while the signer or gateway is unset. */
  private static PurchaseFlow purchases(
      CatalogConfiguration config,
      Environment environment,
      Jdbi primary,
      ObjectMapper json,
      Clock clock) {
    var settings = config.getPurchases();
    if (!settings.enabled()) {
      return null;
    }
    PurchaseMetrics metrics = new PurchaseMetrics(environment.metrics());
    PurchaseRecords records = settings.buildRecords(primary, environment.metrics());
    PurchaseBodies bodies = settings.buildBodies(json);
    CompletionJournal journal =
        new CompletionJournal(
            java.nio.file.Path.of(settings.getJournalFile()), json, records, clock);
    environment
        .lifecycle()
        .manage(
            new CompletionReplayer(
                journal,
                environment.lifecycle().scheduledExecutorService("completion-replay").build(),
                settings.getReplayEvery().toJavaDuration()));
    metrics.watch(records, journal, settings.getStaleAfter().toJavaDuration(), clock);
    HttpPaymentGateway gateway = settings.buildGateway(json);
    PurchaseFlow flow =
        new PurchaseFlow(
            records,
            new HttpsReceiptSigner(
                java.net.URI.create(settings.getSignerUrl()),
                settings.signerIdentity(config.getTlsClient()).mutual(),
                settings.getSignerTimeout().toJavaDuration(),
                json),
            gateway,
            journal,
            new DirectedIdentifier(settings.getDirectedIdSecret()),
            bodies,
            metrics,
            clock,
            settings.getRetryAfter().toJavaDuration(),
            settings.getTakeOverAfter().toJavaDuration());
    Reconciler reconciler = settings.buildReconciler(records, gateway, bodies, metrics, clock);
    environment.admin().addTask(new ReconcileTask(reconciler, json));
    if (settings.getReconcileEvery().toMilliseconds() > 0) {
      environment
          .lifecycle()
          .manage(
              new ReconcilerSchedule(
                  reconciler,
                  environment.lifecycle().scheduledExecutorService("reconciler").build(),
                  settings.getReconcileEvery().toJavaDuration()));
    }
    return flow;
  }
}
