package net.appstore.hsm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Whether optional command-line tools are installed, for tests that also ask them. */
final class TestCommands {

  private TestCommands() {}

  static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
  }
}
