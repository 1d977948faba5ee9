package net.appstore.testkit.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A test class's own database on a PostgreSQL primary and its streaming replica, handed out by
 * {@link PostgresExtension}. The same database name exists on both servers; writes go to the
 * primary and become visible on the replica once replayed.
 *
 * <p>The fault helpers (stop, start, pause, resume) work only on a dedicated cluster
 * ({@code @PostgresTest(dedicatedCluster = true)}); on the shared cluster they fail, and on
 * external servers they abort the test as an unmet assumption. Thread-safe.
 */
public final class PostgresTestDatabase implements AutoCloseable {
  private static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

  /** Where the servers come from, which decides whether faults may be injected. */
  enum Source {
    SHARED,
    DEDICATED,
    EXTERNAL
  }

  private final String name;
  private final Endpoints servers;
  private final Endpoints endpoints;
  private final Source source;
  private final PostgresCluster cluster;

  private PostgresTestDatabase(
      String name, Endpoints servers, Source source, PostgresCluster cluster) {
    this.name = name;
    this.servers = servers;
    this.endpoints = servers.withDatabase(name);
    this.source = source;
    this.cluster = cluster;
  }

  /**
   * Creates database {@code name} on the primary (reached through {@code servers}) and waits until
   * the replica has it. {@code cluster} is null for external servers.
   */
  static PostgresTestDatabase create(
      String name, Endpoints servers, Source source, PostgresCluster cluster) {
    try (Connection primary = servers.openPrimary();
        Statement statement = primary.createStatement()) {
      statement.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new PostgresClusterException(
          "could not create test database "
              + name
              + " on "
              + servers.primaryUrl()
              + (source == Source.EXTERNAL ? " (the user needs CREATEDB)" : "")
              + ": "
              + e.getMessage(),
          e);
    }
    ReplicaProgress.awaitCaughtUp(servers, DEFAULT_CATCH_UP_TIMEOUT);
    return new PostgresTestDatabase(name, servers, source, cluster);
  }

  /** The database's name, the same on primary and replica. */
  public String name() {
    return name;
  }

  /** JDBC URL of this database on the primary. */
  public String primaryJdbcUrl() {
    return endpoints.primaryUrl();
  }

  /** JDBC URL of this database on the read-only replica. */
  public String replicaJdbcUrl() {
    return endpoints.replicaUrl();
  }

  /** The user for both URLs; null when external URLs carry their own credentials. */
  public String user() {
    return endpoints.user();
  }

  /** The password of {@link #user()}; null when external URLs carry their own credentials. */
  public String password() {
    return endpoints.password();
  }

  /** Opens a connection to this database on the primary. */
  public Connection openPrimary() throws SQLException {
    return endpoints.openPrimary();
  }

  /** Opens a read-only connection to this database on the replica. */
  public Connection openReplica() throws SQLException {
    return endpoints.openReplica();
  }

  /**
   * Waits up to 30 s until everything committed on the primary so far is visible on the replica.
   */
  public void awaitReplicaCaughtUp() {
    awaitReplicaCaughtUp(DEFAULT_CATCH_UP_TIMEOUT);
  }

  /** Waits until everything committed on the primary so far is visible on the replica. */
  public void awaitReplicaCaughtUp(Duration timeout) {
    ReplicaProgress.awaitCaughtUp(endpoints, timeout);
  }

  /** The replica's replay lag behind the primary. */
  public ReplicationLag replicationLag() {
    return ReplicaProgress.lag(endpoints);
  }

  /** Pauses WAL replay on the replica; see {@link PostgresCluster#pauseReplay()}. */
  public void pauseReplay() {
    faultTarget("pauseReplay").pauseReplay();
  }

  /** Resumes WAL replay on the replica. */
  public void resumeReplay() {
    faultTarget("resumeReplay").resumeReplay();
  }

  /** Fast shutdown of the primary. */
  public void stopPrimary() {
    faultTarget("stopPrimary").stopPrimary();
  }

  /** Starts the primary and waits until it accepts connections. */
  public void startPrimary() {
    faultTarget("startPrimary").startPrimary();
  }

  /** Fast shutdown of the replica; its URL then refuses connections. */
  public void stopReplica() {
    faultTarget("stopReplica").stopReplica();
  }

  /** Starts the replica and waits until it accepts read queries. */
  public void startReplica() {
    faultTarget("startReplica").startReplica();
  }

  /**
   * Undoes every fault: starts stopped servers, resumes replay and waits until the replica has
   * caught up; for an {@code @AfterEach} of a class that injects faults.
   */
  public void restoreHealthy() {
    PostgresCluster target = faultTarget("restoreHealthy");
    target.start();
    target.resumeReplay();
    awaitReplicaCaughtUp();
  }

  /** Drops the database from a shared cluster or external servers; a dedicated one just ends. */
  @Override
  public void close() throws SQLException {
    if (source == Source.DEDICATED) {
      return; // the whole cluster is deleted right after
    }
    try (Connection primary = servers.openPrimary();
        Statement statement = primary.createStatement()) {
      // FORCE: pools the test left open must not keep its database alive.
      statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }
  }

  @Override
  public String toString() {
    return "PostgresTestDatabase[" + name + ", " + source + ", primary=" + primaryJdbcUrl() + "]";
  }

  private PostgresCluster faultTarget(String operation) {
    return switch (source) {
      case DEDICATED -> cluster;
      case EXTERNAL ->
          Assumptions.abort(
              operation
                  + " skipped: PRIMARY_JDBC_URL and REPLICA_JDBC_URL point at external servers,"
                  + " which the test kit does not stop, start or pause; unset them to run this test"
                  + " on a cluster the test kit starts");
      case SHARED ->
          throw new IllegalStateException(
              operation
                  + " would disturb other test classes sharing this JVM's PostgreSQL cluster;"
                  + " annotate the test class with @PostgresTest(dedicatedCluster = true)");
    };
  }
}
