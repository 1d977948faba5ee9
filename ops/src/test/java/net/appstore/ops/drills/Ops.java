package net.appstore.ops.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's ops scripts against the drill stack, as an operator would. */
final class Ops {

  private Ops() {}

  /**
   * Runs {@code command} (relative to the repository root) with the drill stack's directory and
   * port offset; the jars were built by the Maven run that runs the drills. The output is kept (and
   * appended to {@code log} when given); a command still running after {@code limit} is killed and
   * reported as exit code -1.
   */
  static ProcessResult run(Path repo, Path stackDir, Duration limit, Path log, String... command) {
    List<String> line = new ArrayList<>(List.of(command));
    line.set(0, repo.resolve(command[0]).toString());
    ProcessBuilder builder = new ProcessBuilder(line).directory(repo.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("STACK_DIR", stackDir.toString());
    env.put("STACK_PORT_OFFSET", Integer.toString(DrillStack.PORT_OFFSET));
    env.putIfAbsent("STACK_SKIP_BUILD", "1");
    env.putIfAbsent("CATALOG_SEED_APPS", "1000");
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      boolean done = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        process.destroyForcibly();
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (log != null) {
        Files.createDirectories(log.getParent());
        Files.writeString(
            log,
            text,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      return new ProcessResult(done ? process.exitValue() : -1, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
