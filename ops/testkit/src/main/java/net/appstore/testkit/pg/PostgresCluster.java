package net.appstore.testkit.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL primary and a streaming read replica under one base directory, listening on
 * 127.0.0.1 only, with their unix sockets, logs and data inside that directory.
 *
 * <p>The servers are separate processes that are not tied to this JVM: {@link #attach} finds a
 * cluster again from another JVM (the CLI does), and servers outlive the JVM that started them
 * until {@link #close} or {@code down}. Whether a server runs is always asked of {@code pg_ctl},
 * never remembered, so a handle stays truthful when another process starts or stops a server.
 *
 * <p>Thread-safe: methods that start or stop servers are serialised on the instance; queries (URLs,
 * lag, waiting, replay control) may run concurrently. Two JVMs controlling the same directory at
 * once are not coordinated.
 */
public final class PostgresCluster implements AutoCloseable {
  /** The database the JDBC URLs point at. */
  public static final String DATABASE = "postgres";

  private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

  private final ClusterLayout layout;
  private final ClusterLayout.Descriptor descriptor;
  private final PostgresServer primary;
  private final PostgresServer replica;
  private final long startTimeoutSeconds;
  private final boolean keepDirectory;
  private boolean closed; // guarded by this

  private PostgresCluster(
      ClusterLayout layout,
      ClusterLayout.Descriptor descriptor,
      PostgresBinaries binaries,
      long startTimeoutSeconds,
      boolean keepDirectory) {
    this.layout = layout;
    this.descriptor = descriptor;
    this.primary =
        new PostgresServer(
            "primary",
            binaries,
            layout.primaryData(),
            layout.primaryLog(),
            descriptor.primaryPort());
    this.replica =
        new PostgresServer(
            "replica",
            binaries,
            layout.replicaData(),
            layout.replicaLog(),
            descriptor.replicaPort());
    this.startTimeoutSeconds = startTimeoutSeconds;
    this.keepDirectory = keepDirectory;
  }

  /** Starts configuring a new cluster in {@code baseDirectory}, which must be empty or absent. */
  public static Builder builder(Path baseDirectory) {
    return new Builder(baseDirectory);
  }

  /**
   * A handle on the cluster that an earlier {@link Builder#start} created in {@code baseDirectory},
   * whether or not its servers run now. {@link #close} on it stops the servers and deletes the
   * directory.
   */
  public static PostgresCluster attach(Path baseDirectory) {
    ClusterLayout layout = new ClusterLayout(baseDirectory);
    return new PostgresCluster(
        layout, layout.load(), PostgresBinaries.unpacked(), Builder.DEFAULT_TIMEOUT_SECONDS, false);
  }

  /** Whether {@code baseDirectory} holds a cluster that {@link #attach} can open. */
  public static boolean existsIn(Path baseDirectory) {
    return new ClusterLayout(baseDirectory).holdsCluster();
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres} of the primary. */
  public String primaryJdbcUrl() {
    return JdbcUrls.of(descriptor.primaryPort(), DATABASE);
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres} of the replica (read-only). */
  public String replicaJdbcUrl() {
    return JdbcUrls.of(descriptor.replicaPort(), DATABASE);
  }

  /** The superuser both URLs accept (password authentication over TCP). */
  public String user() {
    return descriptor.user();
  }

  /** The password of {@link #user()}. */
  public String password() {
    return descriptor.password();
  }

  /** The directory holding data, logs and sockets of both servers. */
  public Path baseDirectory() {
    return layout.base();
  }

  /** Opens a connection to the primary as {@link #user()}. */
  public Connection openPrimary() throws SQLException {
    return endpoints().openPrimary();
  }

  /** Opens a read-only connection to the replica as {@link #user()}. */
  public Connection openReplica() throws SQLException {
    return endpoints().openReplica();
  }

  /** Starts whichever server is stopped and waits until the replica streams and serves reads. */
  public synchronized void start() {
    primary.start(startTimeoutSeconds);
    replica.start(startTimeoutSeconds);
    try {
      ReplicaProgress.awaitStreaming(endpoints(), ClusterCreator.REPLICA_NAME, STREAMING_TIMEOUT);
    } catch (PostgresClusterException e) {
      throw new PostgresClusterException(
          e.getMessage() + "\n" + primary.logTail() + "\n" + replica.logTail(), e);
    }
  }

  /** Stops both servers (fast shutdown), keeping the directory. */
  public synchronized void stop() {
    replica.stop();
    primary.stop();
  }

  /** Fast shutdown of the primary; the replica keeps serving reads and retries the primary. */
  public synchronized void stopPrimary() {
    primary.stop();
  }

  /** Starts the primary and waits until it accepts connections; no-op if running. */
  public synchronized void startPrimary() {
    primary.start(startTimeoutSeconds);
  }

  /** Fast shutdown of the replica; its URL then refuses connections. */
  public synchronized void stopReplica() {
    replica.stop();
  }

  /**
   * Starts the replica and waits until it accepts read queries; no-op if running. It catches up
   * from the primary's replication slot; use {@link #awaitReplicaCaughtUp} to wait for that.
   */
  public synchronized void startReplica() {
    replica.start(startTimeoutSeconds);
  }

  /** Whether the primary's postmaster is running. */
  public boolean isPrimaryRunning() {
    return primary.isRunning();
  }

  /** Whether the replica's postmaster is running. */
  public boolean isReplicaRunning() {
    return replica.isRunning();
  }

  /**
   * Pauses WAL replay on the replica ({@code pg_wal_replay_pause()}): it keeps receiving WAL but
   * shows no newer data until {@link #resumeReplay}. Real replication lag for tests.
   */
  public void pauseReplay() {
    ReplicaProgress.pauseReplay(endpoints());
  }

  /** Resumes WAL replay on the replica ({@code pg_wal_replay_resume()}). */
  public void resumeReplay() {
    ReplicaProgress.resumeReplay(endpoints());
  }

  /**
   * Waits until the replica has replayed everything the primary had written when this was called,
   * so a row committed before the call is visible on the replica after it.
   *
   * @throws PostgresClusterException on timeout, saying how far the replica got and whether replay
   *     is paused
   */
  public void awaitReplicaCaughtUp(Duration timeout) {
    ReplicaProgress.awaitCaughtUp(endpoints(), timeout);
  }

  /** The replica's replay lag behind the primary's current WAL position; both must be running. */
  public ReplicationLag replicationLag() {
    return ReplicaProgress.lag(endpoints());
  }

  /**
   * Stops both servers and deletes the base directory unless the builder said to keep it. Calling
   * it again does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    if (!keepDirectory) {
      try {
        FileTrees.deleteRecursively(layout.base());
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + layout.base(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "PostgresCluster[primary=" + primaryJdbcUrl() + ", replica=" + replicaJdbcUrl() + "]";
  }

  Endpoints endpoints() {
    return new Endpoints(primaryJdbcUrl(), replicaJdbcUrl(), user(), password());
  }

  int primaryPort() {
    return descriptor.primaryPort();
  }

  int replicaPort() {
    return descriptor.replicaPort();
  }

  /** Options for a new cluster. Not thread-safe; use from one thread, then discard. */
  public static final class Builder {
    static final long DEFAULT_TIMEOUT_SECONDS = 60;

    private final Path baseDirectory;
    private int primaryPort;
    private int replicaPort;
    private boolean keepDirectory;
    private PostgresBinaries binaries;

    private Builder(Path baseDirectory) {
      this.baseDirectory = baseDirectory;
    }

    /** Fixed primary port instead of a free one. */
    public Builder primaryPort(int port) {
      this.primaryPort = port;
      return this;
    }

    /** Fixed replica port instead of a free one. */
    public Builder replicaPort(int port) {
      this.replicaPort = port;
      return this;
    }

    /** Keep the base directory (data and logs) when the cluster is closed, for inspection. */
    public Builder keepDirectoryOnClose(boolean keep) {
      this.keepDirectory = keep;
      return this;
    }

    /** Binaries to use instead of {@link PostgresBinaries#unpacked()}. */
    public Builder binaries(PostgresBinaries binaries) {
      this.binaries = binaries;
      return this;
    }

    /**
     * Creates both servers, starts them and waits until the replica streams and serves reads. On
     * failure, stops what it started and deletes the directory (unless kept) before throwing.
     */
    public PostgresCluster start() {
      ClusterLayout layout = new ClusterLayout(baseDirectory);
      layout.requireShortSocketPath();
      ClusterCreator.requireEmptyOrAbsent(layout.base());
      PostgresBinaries resolved = binaries != null ? binaries : PostgresBinaries.unpacked();
      ClusterLayout.Descriptor descriptor;
      try {
        descriptor =
            new ClusterCreator(layout, resolved, DEFAULT_TIMEOUT_SECONDS)
                .create(primaryPort, replicaPort);
      } catch (IOException | RuntimeException e) {
        PostgresClusterException failure =
            e instanceof PostgresClusterException p
                ? p
                : new PostgresClusterException("could not set up a cluster in " + baseDirectory, e);
        if (!keepDirectory) {
          deleteAfterFailure(layout.base(), failure);
        }
        throw failure;
      }
      PostgresCluster cluster =
          new PostgresCluster(layout, descriptor, resolved, DEFAULT_TIMEOUT_SECONDS, keepDirectory);
      try {
        cluster.start();
        return cluster;
      } catch (RuntimeException e) {
        try {
          cluster.close();
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    }

    private static void deleteAfterFailure(Path directory, Exception failure) {
      try {
        FileTrees.deleteRecursively(directory);
      } catch (IOException | RuntimeException cleanup) {
        failure.addSuppressed(cleanup);
      }
    }
  }
}
