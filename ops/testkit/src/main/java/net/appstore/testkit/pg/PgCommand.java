package net.appstore.testkit.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code initdb} and {@code pg_ctl}, as an unprivileged user when this JVM runs as root.
 *
 * <p>PostgreSQL refuses to run as root ("cannot be run as root"), zonky's binaries included. Rather
 * than needing a dedicated account that can traverse the caller's directories, a root caller runs
 * the tools in a new user namespace where it appears as uid 65534 ({@code nobody}): the server is
 * unprivileged there, yet every file it creates is owned by root on the host, so cleanup and later
 * {@code pg_ctl} calls from other namespaces (signals are checked against host ids) just work. The
 * postmaster that {@code pg_ctl start} forks stays in that namespace after the JVM exits.
 */
final class PgCommand {
  private static final List<String> UNPRIVILEGED =
      List.of("unshare", "--user", "--map-user=65534", "--map-group=65534");
  private static final boolean RUNNING_AS_ROOT = runningAsRoot();

  private PgCommand() {}

  /** What a finished command printed (stdout and stderr interleaved) and how it exited. */
  record Result(int exitCode, String output) {}

  /** Runs {@code executable args...}; fails if it does not finish within {@code timeoutSeconds}. */
  static Result run(long timeoutSeconds, Path executable, String... args) {
    List<String> command = new ArrayList<>(RUNNING_AS_ROOT ? UNPRIVILEGED : List.of());
    command.add(executable.toString());
    command.addAll(List.of(args));
    Path output = null;
    try {
      // Output goes to a file, not a pipe: a server forked by pg_ctl must not hold our pipe open.
      output = Files.createTempFile("testkit-pg-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      // An inherited PGDATA, PGPORT or locale must not change what the scripted steps do.
      builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new PostgresClusterException(
            String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PostgresClusterException(
          "could not run " + String.join(" ", command) + rootHint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresClusterException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(output);
    }
  }

  /** Runs like {@link #run} and fails with the command's output unless it exits with 0. */
  static String runOrThrow(String what, long timeoutSeconds, Path executable, String... args) {
    Result result = run(timeoutSeconds, executable, args);
    if (result.exitCode() != 0) {
      throw new PostgresClusterException(
          what
              + " failed (exit "
              + result.exitCode()
              + "):\n"
              + result.output().strip()
              + rootHint());
    }
    return result.output();
  }

  private static String rootHint() {
    return RUNNING_AS_ROOT
        ? "\n(running as root: PostgreSQL refuses root, so the test kit runs it via `"
            + String.join(" ", UNPRIVILEGED)
            + "`; this needs util-linux unshare and user namespaces, or run as a non-root user)"
        : "";
  }

  private static boolean runningAsRoot() {
    try {
      // /proc/self belongs to the effective uid of the process reading it.
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A stray file in the temporary directory is not worth failing a server step for.
    }
  }
}
