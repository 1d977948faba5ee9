package net.appstore.testkit.pg;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command line for the local stack's PostgreSQL primary and replica; the servers keep running after
 * this JVM exits. {@code up} prints {@code NAME=value} lines for the environment on stdout and
 * everything else on stderr. Exit codes: 0 done, 1 failed, 2 usage error, 3 not both running.
 */
public final class PostgresClusterMain {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_RUNNING = 3;

  private static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: PostgresClusterMain COMMAND --dir DIR",
          "  up [--primary-port P] [--replica-port R]  create or start; prints PRIMARY_JDBC_URL,"
              + " REPLICA_JDBC_URL, PGUSER, PGPASSWORD",
          "  down                                    stop both servers (data kept; up starts them again)",
          "  destroy                                 stop both servers and delete DIR",
          "  status                                  exit 0 only if both servers run",
          "  pause-replay | resume-replay            pause or resume WAL replay on the replica",
          "  stop primary|replica                    fast shutdown of one server",
          "  start primary|replica                   start one server",
          "  lag                                     replica replay lag in bytes and seconds");

  private final PrintStream out;
  private final PrintStream err;

  private PostgresClusterMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs one command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command, printing to the given streams; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    PostgresClusterMain main = new PostgresClusterMain(out, err);
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE_TEXT);
      return USAGE;
    }
    try {
      return main.execute(arguments);
    } catch (PostgresClusterException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    }
  }

  private int execute(Arguments a) {
    if (a.command().equals("up")) {
      return up(a);
    }
    if (!PostgresCluster.existsIn(a.dir())) {
      err.println("no cluster in " + a.dir());
      return switch (a.command()) {
        case "down", "destroy" -> OK;
        case "status" -> NOT_RUNNING;
        default -> FAILED;
      };
    }
    PostgresCluster cluster = PostgresCluster.attach(a.dir());
    switch (a.command()) {
      case "down" -> {
        cluster.stop();
        err.println("stopped both servers; data kept in " + a.dir());
      }
      case "destroy" -> {
        cluster.close();
        err.println("stopped both servers and deleted " + a.dir());
      }
      case "status" -> {
        return status(cluster);
      }
      case "pause-replay" -> cluster.pauseReplay();
      case "resume-replay" -> cluster.resumeReplay();
      case "stop" -> {
        if (a.server().equals("primary")) {
          cluster.stopPrimary();
        } else {
          cluster.stopReplica();
        }
      }
      case "start" -> {
        if (a.server().equals("primary")) {
          cluster.startPrimary();
        } else {
          cluster.startReplica();
        }
      }
      case "lag" -> {
        ReplicationLag lag = cluster.replicationLag();
        out.println("lag_bytes=" + lag.bytes());
        out.printf(Locale.ROOT, "lag_seconds=%.3f%n", lag.time().toMillis() / 1000.0);
      }
      default -> throw new IllegalStateException("unhandled command " + a.command());
    }
    return OK;
  }

  private int up(Arguments a) {
    PostgresCluster cluster;
    if (PostgresCluster.existsIn(a.dir())) {
      cluster = PostgresCluster.attach(a.dir());
      requireSamePorts(a, cluster);
      if (cluster.isPrimaryRunning() && cluster.isReplicaRunning()) {
        err.println("cluster in " + a.dir() + " is already running");
      } else {
        err.println("starting the stopped servers of the cluster in " + a.dir());
        cluster.start();
      }
    } else {
      err.println("creating a primary and a streaming replica in " + a.dir());
      cluster =
          PostgresCluster.builder(a.dir())
              .primaryPort(a.primaryPort())
              .replicaPort(a.replicaPort())
              .start();
    }
    out.println("PRIMARY_JDBC_URL=" + cluster.primaryJdbcUrl());
    out.println("REPLICA_JDBC_URL=" + cluster.replicaJdbcUrl());
    out.println("PGUSER=" + cluster.user());
    out.println("PGPASSWORD=" + cluster.password());
    return OK;
  }

  private static void requireSamePorts(Arguments a, PostgresCluster cluster) {
    if (a.primaryPort() != 0 && a.primaryPort() != cluster.primaryPort()
        || a.replicaPort() != 0 && a.replicaPort() != cluster.replicaPort()) {
      throw new IllegalStateException(
          "the cluster in "
              + a.dir()
              + " uses ports "
              + cluster.primaryPort()
              + " (primary) and "
              + cluster.replicaPort()
              + " (replica); run down first to change them");
    }
  }

  private int status(PostgresCluster cluster) {
    boolean primaryUp = cluster.isPrimaryRunning();
    boolean replicaUp = cluster.isReplicaRunning();
    out.println("primary: " + (primaryUp ? "running" : "stopped") + " " + cluster.primaryJdbcUrl());
    out.println("replica: " + (replicaUp ? "running" : "stopped") + " " + cluster.replicaJdbcUrl());
    if (primaryUp && replicaUp) {
      ReplicationLag lag = cluster.replicationLag();
      out.println("replay lag: " + lag.bytes() + " bytes, " + lag.time().toMillis() + " ms");
      return OK;
    }
    return NOT_RUNNING;
  }

  /** Parsed command line; {@code server} is set only for start and stop. */
  private record Arguments(
      String command, Path dir, String server, int primaryPort, int replicaPort) {
    private static final List<String> COMMANDS =
        List.of(
            "up",
            "down",
            "destroy",
            "status",
            "pause-replay",
            "resume-replay",
            "stop",
            "start",
            "lag");

    static Arguments parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("no command");
      }
      String command = args[0];
      if (!COMMANDS.contains(command)) {
        throw new IllegalArgumentException("unknown command '" + command + "'");
      }
      List<String> positional = new ArrayList<>();
      Path dir = null;
      int primaryPort = 0;
      int replicaPort = 0;
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
          case "--primary-port" -> primaryPort = port(value(args, ++i, "--primary-port"));
          case "--replica-port" -> replicaPort = port(value(args, ++i, "--replica-port"));
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
            positional.add(args[i]);
          }
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException(command + " needs --dir DIR");
      }
      if (!command.equals("up") && (primaryPort != 0 || replicaPort != 0)) {
        throw new IllegalArgumentException("--primary-port and --replica-port belong to up");
      }
      boolean needsServer = command.equals("start") || command.equals("stop");
      if (needsServer
          ? positional.size() != 1 || !List.of("primary", "replica").contains(positional.get(0))
          : !positional.isEmpty()) {
        throw new IllegalArgumentException(
            needsServer
                ? command + " needs exactly one of: primary, replica"
                : "unexpected argument '" + positional.get(0) + "'");
      }
      return new Arguments(
          command, dir, needsServer ? positional.get(0) : null, primaryPort, replicaPort);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int port(String text) {
      try {
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a port number: '" + text + "'");
      }
    }
  }
}
