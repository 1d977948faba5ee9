package net.appstore.ops.drills;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the drills find the repository and keep their stack, logs and results. */
final class DrillPaths {

  private DrillPaths() {}

  /**
   * The repository root: the nearest directory up from the ops module holding {@code ops/stack}.
   */
  static Path repository() {
    Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("ops/stack"))) {
        return d;
      }
    }
    throw new IllegalStateException("no ops/stack above " + dir);
  }

  static Path target() {
    return repository().resolve("ops/target");
  }

  static Path stackDir() {
    String override = System.getenv("DRILL_STACK_DIR");
    return override != null ? Path.of(override) : target().resolve("drill-stack");
  }

  static Path results() {
    return target().resolve("drills/results.tsv");
  }

  static Path log(String name) {
    return target().resolve("drills/" + name + ".log");
  }
}
