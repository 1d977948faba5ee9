package net.appstore.testkit.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One PostgreSQL server (a data directory, its port and log), driven through {@code pg_ctl}. */
final class PostgresServer {
  private static final int LOG_TAIL_LINES = 25;
  private static final long STOP_TIMEOUT_SECONDS = 60;

  private final String role;
  private final PostgresBinaries binaries;
  private final Path dataDir;
  private final Path logFile;
  private final int port;

  PostgresServer(String role, PostgresBinaries binaries, Path dataDir, Path logFile, int port) {
    this.role = role;
    this.binaries = binaries;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.port = port;
  }

  int port() {
    return port;
  }

  /** Starts the server unless it is running, and waits until it accepts connections. */
  void start(long timeoutSeconds) {
    if (isRunning()) {
      return;
    }
    PgCommand.Result result =
        PgCommand.run(
            timeoutSeconds + 10,
            binaries.pgCtl(),
            "start",
            "--wait",
            "--timeout=" + timeoutSeconds,
            "--pgdata=" + dataDir,
            "--log=" + logFile);
    if (result.exitCode() != 0) {
      throw new PostgresClusterException(
          describe() + " did not start: " + result.output().strip() + "\n" + logTail());
    }
  }

  /** Stops the server with a fast shutdown (open sessions are ended); no-op if stopped. */
  void stop() {
    if (!isRunning()) {
      return;
    }
    PgCommand.Result result =
        PgCommand.run(
            STOP_TIMEOUT_SECONDS + 10,
            binaries.pgCtl(),
            "stop",
            "--wait",
            "--timeout=" + STOP_TIMEOUT_SECONDS,
            "--mode=fast",
            "--pgdata=" + dataDir);
    if (result.exitCode() != 0 && isRunning()) {
      throw new PostgresClusterException(
          describe() + " did not stop: " + result.output().strip() + "\n" + logTail());
    }
  }

  /** Whether a postmaster is running on this data directory, as {@code pg_ctl status} sees it. */
  boolean isRunning() {
    if (!Files.isDirectory(dataDir)) {
      return false;
    }
    // Exit 0: running; 3: not running; 4: no usable data directory.
    return PgCommand.run(30, binaries.pgCtl(), "status", "--pgdata=" + dataDir).exitCode() == 0;
  }

  String describe() {
    return role + " (127.0.0.1:" + port + ", " + dataDir + ")";
  }

  /** The last lines of the server log, to put into failure messages. */
  String logTail() {
    try {
      // Lenient decoding: a log tail with a stray byte beats no log tail in a failure message.
      List<String> lines =
          new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      return "--- last lines of "
          + logFile
          + " ---\n"
          + String.join(
              "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no server log at " + logFile + ")";
    }
  }
}
