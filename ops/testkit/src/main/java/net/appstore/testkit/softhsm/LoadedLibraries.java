package net.appstore.testkit.softhsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether this process has a shared library mapped, by reading /proc/self/maps (Linux).
 *
 * <p>The fixture needs this because SoftHSM2 reads its token directory once, in C_Initialize:
 * tokens created later by softhsm2-util stay invisible to a JVM that already loaded the library.
 * Knowing that requires no PKCS#11 class. Stateless and thread-safe.
 */
final class LoadedLibraries {

  private static final Path MAPS = Path.of("/proc/self/maps");

  private LoadedLibraries() {}

  /**
   * True if a file with the library's name is mapped, or if that cannot be told: the caller then
   * assumes the worst (tokens created from now on are not seen).
   */
  static boolean isLoaded(Path library) {
    String fileName = "/" + resolved(library).getFileName();
    try (var lines = Files.lines(MAPS)) {
      return lines.anyMatch(line -> line.endsWith(fileName));
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** /proc/self/maps shows the real file; the Debian path is a symbolic link. */
  private static Path resolved(Path library) {
    try {
      return library.toRealPath();
    } catch (IOException e) {
      return library;
    }
  }
}
