package net.appstore.testkit.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires a new primary and streaming replica under a base directory, as DESIGN "Storage" says:
 * initdb and configure the primary, create the replica's slot, stop it, copy its data directory,
 * turn the copy into a standby. Leaves both servers stopped; the caller starts them.
 */
final class ClusterCreator {
  static final String USER = "postgres";
  // Loopback only and a throwaway cluster: the password exists so that role permissions and
  // password authentication behave as in production, not to keep anyone out.
  static final String PASSWORD = "postgres";
  static final String REPLICA_NAME = "replica";

  private static final List<String> INITDB_OPTIONS =
      List.of(
          "--username=" + USER,
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "--encoding=UTF8",
          "--no-locale");

  private final ClusterLayout layout;
  private final PostgresBinaries binaries;
  private final long timeoutSeconds;

  ClusterCreator(ClusterLayout layout, PostgresBinaries binaries, long timeoutSeconds) {
    this.layout = layout;
    this.binaries = binaries;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * Creates the cluster in the (empty or absent) base directory; ports of 0 are replaced by free
   * loopback ports.
   */
  ClusterLayout.Descriptor create(int primaryPort, int replicaPort) throws IOException {
    Files.createDirectories(layout.socketDir());
    Files.createDirectories(layout.primaryLog().getParent());
    Files.setPosixFilePermissions(layout.socketDir(), PosixFilePermissions.fromString("rwx------"));
    int primaryPortOrFree = primaryPort == 0 ? freePort(-1) : primaryPort;
    ClusterLayout.Descriptor descriptor =
        new ClusterLayout.Descriptor(
            primaryPortOrFree,
            replicaPort == 0 ? freePort(primaryPortOrFree) : replicaPort,
            USER,
            PASSWORD);

    initPrimary(descriptor);
    PostgresServer primary =
        new PostgresServer(
            "primary",
            binaries,
            layout.primaryData(),
            layout.primaryLog(),
            descriptor.primaryPort());
    primary.start(timeoutSeconds);
    try {
      createReplicationSlot(descriptor);
    } finally {
      primary.stop();
    }
    // The primary is cleanly stopped, so its data directory is a consistent base backup.
    // Copied slots would pin WAL on the replica forever; pg_basebackup leaves them out too.
    FileTrees.copy(
        layout.primaryData(),
        layout.replicaData(),
        relative ->
            relative.startsWith("pg_replslot") && relative.getNameCount() > 1
                || relative.toString().equals("postmaster.opts"));
    Files.setPosixFilePermissions(
        layout.replicaData(), PosixFilePermissions.fromString("rwx------"));
    Files.createFile(layout.replicaData().resolve("standby.signal"));
    append(layout.replicaData().resolve("postgresql.conf"), replicaSettings(descriptor));
    layout.save(descriptor);
    return descriptor;
  }

  private void initPrimary(ClusterLayout.Descriptor descriptor) throws IOException {
    FileTrees.copy(
        pristineDataDirectory(),
        layout.primaryData(),
        relative -> relative.toString().equals(CacheDirectory.COMPLETE_MARKER));
    append(layout.primaryData().resolve("postgresql.conf"), primarySettings(descriptor));
    Files.writeString(
        layout.primaryData().resolve("pg_hba.conf"),
        String.join(
            "\n",
            "# Written by the test kit: the unix socket directory is private (0700) to its owner;",
            "# TCP is loopback only, with passwords as in production.",
            "local all         all                  trust",
            "host  all         all      127.0.0.1/32 scram-sha-256",
            "host  replication " + USER + " 127.0.0.1/32 scram-sha-256",
            ""));
  }

  /**
   * The output of initdb, made once per binaries and options and shared by all clusters: copying it
   * takes half the time of running initdb (1.2 s on a 2-core box). It is only ever copied, never
   * started.
   */
  private Path pristineDataDirectory() throws IOException {
    String optionsKey = Integer.toHexString(String.join(" ", INITDB_OPTIONS).hashCode());
    Path home = binaries.home();
    return CacheDirectory.populateOnce(
        home.resolveSibling(home.getFileName() + "-initdb-" + optionsKey), this::initdb);
  }

  private void initdb(Path dataDirectory) throws IOException {
    Path passwordFile = Files.createTempFile(dataDirectory.getParent(), "initdb-password", "");
    try {
      Files.writeString(passwordFile, PASSWORD + "\n");
      List<String> arguments = new ArrayList<>(INITDB_OPTIONS);
      arguments.add("--pgdata=" + dataDirectory);
      arguments.add("--pwfile=" + passwordFile);
      PgCommand.runOrThrow(
          "initdb of " + dataDirectory,
          timeoutSeconds,
          binaries.initdb(),
          arguments.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }

  private String primarySettings(ClusterLayout.Descriptor descriptor) {
    return String.join(
        "\n",
        "",
        "# --- test kit settings (later lines win) ---",
        "listen_addresses = '127.0.0.1'",
        "port = " + descriptor.primaryPort(),
        "unix_socket_directories = '" + layout.socketDir().toString().replace("'", "''") + "'",
        "wal_level = replica",
        "max_wal_senders = 4",
        "max_replication_slots = 4",
        "hot_standby = on",
        // Small: tests hold little data, and several clusters may share a 2-core box. fsync stays
        // on so commits, restarts and crash recovery behave as in production.
        "shared_buffers = 32MB",
        "max_connections = 100",
        // A restarted primary is found within 200 ms instead of the default 5 s.
        "wal_retrieve_retry_interval = 200ms",
        "wal_receiver_status_interval = 1s",
        "");
  }

  private String replicaSettings(ClusterLayout.Descriptor descriptor) {
    return String.join(
        "\n",
        "",
        "# --- test kit replica settings ---",
        "port = " + descriptor.replicaPort(),
        "primary_conninfo = 'host=127.0.0.1 port="
            + descriptor.primaryPort()
            + " user="
            + USER
            + " password="
            + PASSWORD
            + " application_name="
            + REPLICA_NAME
            + "'",
        // The slot keeps WAL on the primary while the replica is stopped, so it always catches up.
        "primary_slot_name = '" + REPLICA_NAME + "'",
        "");
  }

  private void createReplicationSlot(ClusterLayout.Descriptor descriptor) {
    Endpoints endpoints =
        new Endpoints(JdbcUrls.of(descriptor.primaryPort(), "postgres"), null, USER, PASSWORD);
    try (Connection primary = endpoints.openPrimary();
        Statement statement = primary.createStatement()) {
      // true: reserve WAL now, so nothing the replica needs is recycled before it first connects.
      statement.execute("SELECT pg_create_physical_replication_slot('" + REPLICA_NAME + "', true)");
    } catch (SQLException e) {
      throw new PostgresClusterException(
          "could not create the replication slot on the primary: " + e.getMessage(), e);
    }
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  static void requireEmptyOrAbsent(Path base) {
    if (!Files.isDirectory(base)) {
      return;
    }
    try (var entries = Files.list(base)) {
      if (entries.findAny().isPresent()) {
        throw new PostgresClusterException(
            base
                + (new ClusterLayout(base).holdsCluster()
                    ? " already holds a cluster; attach to it or choose an empty directory"
                    : " is not empty; choose an empty or new directory"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + base, e);
    }
  }

  private static int freePort(int not) {
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        if (socket.getLocalPort() != not) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not find a free loopback port", e);
      }
    }
    throw new PostgresClusterException("could not find a second free loopback port");
  }
}
