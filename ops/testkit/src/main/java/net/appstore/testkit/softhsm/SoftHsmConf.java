package net.appstore.testkit.softhsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The softhsm2.conf of a test JVM and its token directory: written on first use if missing, so a
 * module only has to point SOFTHSM2_CONF at a path under target/.
 *
 * <p>Safe for several JVMs (parallel forks) at once: the file is written to a temporary name and
 * renamed into place, and an existing file is never rewritten.
 */
final class SoftHsmConf {

  private static final String TOKENDIR_KEY = "directories.tokendir";

  private SoftHsmConf() {}

  /** Ensures the conf and its token directory exist; returns the token directory. */
  static Path ensure(Path conf) {
    try {
      Path tokenDir;
      if (Files.exists(conf)) {
        tokenDir =
            tokenDir(Files.readString(conf))
                .orElseThrow(
                    () -> new IllegalStateException(conf + " has no " + TOKENDIR_KEY + " line"));
      } else {
        tokenDir = conf.toAbsolutePath().getParent().resolve("tokens");
        write(conf, content(tokenDir));
      }
      Files.createDirectories(tokenDir);
      return tokenDir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare SoftHSM2 configuration " + conf, e);
    }
  }

  static String content(Path tokenDir) {
    return "# Written by the test fixture net.appstore.testkit.softhsm: throwaway test tokens.\n"
        + TOKENDIR_KEY
        + " = "
        + tokenDir.toAbsolutePath()
        + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
        + "slots.mechanisms = ALL\nlibrary.reset_on_fork = false\n";
  }

  static Optional<Path> tokenDir(String confText) {
    return confText
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith(TOKENDIR_KEY))
        .map(line -> line.substring(line.indexOf('=') + 1).strip())
        .map(Path::of)
        .findFirst();
  }

  private static void write(Path conf, String content) throws IOException {
    Path dir = conf.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temporary = Files.createTempFile(dir, ".softhsm2", ".conf");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    // rename(2): readers see no file or a whole one. A fork racing us writes the same content.
    Files.move(temporary, conf, StandardCopyOption.ATOMIC_MOVE);
  }
}
