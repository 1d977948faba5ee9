package net.appstore.testkit.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link PostgresTest}: resolves {@link PostgresTestDatabase} parameters
 * with a fresh database per test class, dropped after the class.
 *
 * <p>The cluster is shared by all classes of a JVM fork (started on first use, 2 to 3 s on a 2-core
 * box, and stopped and deleted when the test run ends), because a per-class cluster would add that
 * startup to every class while a fresh database costs 0.3 to 0.6 s. Classes annotated
 * {@code @PostgresTest(dedicatedCluster = true)} get a cluster of their own, closed after the
 * class, so that stopping or pausing servers never disturbs another class.
 *
 * <p>If the environment sets both {@code PRIMARY_JDBC_URL} and {@code REPLICA_JDBC_URL}, those
 * servers are used instead of starting any (credentials from {@code PGUSER}/{@code PGPASSWORD} if
 * set, else from the URLs); each class still gets a fresh database, so the user needs CREATEDB, and
 * fault helpers abort their test as an unmet assumption.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
  static final String PRIMARY_URL_VARIABLE = "PRIMARY_JDBC_URL";
  static final String REPLICA_URL_VARIABLE = "REPLICA_JDBC_URL";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);
  private static final String DATABASE = "database";
  private static final String CLUSTER = "cluster";

  private final Map<String, String> environment;

  /** The extension as {@link PostgresTest} registers it, reading the process environment. */
  public PostgresExtension() {
    this(System.getenv());
  }

  PostgresExtension(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    databaseFor(context); // start servers here, so their time and failures belong to the class
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresTestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return databaseFor(context);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("no PostgreSQL test database: " + e.getMessage(), e);
    }
  }

  /** Servers named by the environment, if it names both. */
  static Optional<Endpoints> externalServers(Map<String, String> environment) {
    String primary = environment.get(PRIMARY_URL_VARIABLE);
    String replica = environment.get(REPLICA_URL_VARIABLE);
    if (primary == null && replica == null) {
      return Optional.empty();
    }
    if (primary == null || replica == null) {
      throw new PostgresClusterException(
          "set both "
              + PRIMARY_URL_VARIABLE
              + " and "
              + REPLICA_URL_VARIABLE
              + " to use external servers, or neither to let the test kit start a cluster");
    }
    return Optional.of(
        new Endpoints(primary, replica, environment.get("PGUSER"), environment.get("PGPASSWORD")));
  }

  private PostgresTestDatabase databaseFor(ExtensionContext context) {
    ExtensionContext classContext =
        context.getTestMethod().isPresent() ? context.getParent().orElseThrow() : context;
    // A nested class finds its enclosing class's database here and shares it.
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            DATABASE, key -> createDatabase(classContext), PostgresTestDatabase.class);
  }

  private PostgresTestDatabase createDatabase(ExtensionContext classContext) {
    String name = databaseName(classContext.getRequiredTestClass());
    Optional<Endpoints> external = externalServers(environment);
    if (external.isPresent()) {
      return PostgresTestDatabase.create(
          name, external.get(), PostgresTestDatabase.Source.EXTERNAL, null);
    }
    boolean dedicated =
        AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), PostgresTest.class)
            .map(PostgresTest::dedicatedCluster)
            .orElse(false);
    if (dedicated) {
      // Closed with the class context; closing a dedicated database is a no-op.
      PostgresCluster cluster = startCluster();
      classContext.getStore(NAMESPACE).put(CLUSTER, cluster);
      return PostgresTestDatabase.create(
          name, cluster.endpoints(), PostgresTestDatabase.Source.DEDICATED, cluster);
    }
    PostgresCluster shared =
        classContext
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(CLUSTER, key -> startCluster(), PostgresCluster.class);
    return PostgresTestDatabase.create(
        name, shared.endpoints(), PostgresTestDatabase.Source.SHARED, shared);
  }

  private static PostgresCluster startCluster() {
    try {
      long started = System.nanoTime();
      PostgresCluster cluster =
          PostgresCluster.builder(Files.createTempDirectory("testkit-pg-")).start();
      // The servers run in their own sessions, so a Ctrl-C or a killed fork would orphan them;
      // normally the store has closed the cluster already and this is a no-op.
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "testkit-pg-cleanup"));
      System.err.printf(
          Locale.ROOT,
          "[testkit] PostgreSQL primary + replica ready in %d ms: %s%n",
          (System.nanoTime() - started) / 1_000_000,
          cluster);
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a directory for a PostgreSQL cluster", e);
    }
  }

  private static String databaseName(Class<?> testClass) {
    String base = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    // Random suffix: JVM forks sharing external servers must not pick the same name.
    return "t_"
        + base.substring(0, Math.min(base.length(), 40))
        + "_"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
  }
}
