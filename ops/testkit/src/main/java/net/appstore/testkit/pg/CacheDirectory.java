package net.appstore.testkit.pg;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A directory in a machine-wide cache that is filled exactly once, however many threads and JVMs
 * ask for it at the same time.
 *
 * <p>A file lock next to the directory serialises JVMs; the directory is filled under a staging
 * name and only appears, with a completion marker inside, by an atomic rename. A directory without
 * the marker (a JVM killed mid-way, a cleaner deleting parts of the cache) is filled again.
 */
final class CacheDirectory {
  /** Present in every completely filled cache directory; copy it nowhere else. */
  static final String COMPLETE_MARKER = ".complete";

  // A FileLock belongs to the JVM, not a thread: a second thread asking for it would get an
  // OverlappingFileLockException, so threads of one JVM queue here first.
  private static final Object IN_JVM_LOCK = new Object();

  private CacheDirectory() {}

  /** Fills a new, empty directory. */
  @FunctionalInterface
  interface Filler {
    void fill(Path emptyDirectory) throws IOException;
  }

  /** Returns {@code target}, filling it with {@code filler} first if nobody has completed it. */
  static Path populateOnce(Path target, Filler filler) throws IOException {
    if (Files.exists(target.resolve(COMPLETE_MARKER))) {
      return target;
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    synchronized (IN_JVM_LOCK) {
      try (FileChannel channel =
              FileChannel.open(
                  parent.resolve(target.getFileName() + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
          return target; // another JVM finished while we waited for the lock
        }
        FileTrees.deleteRecursively(target);
        Path staging = Files.createTempDirectory(parent, target.getFileName() + ".staging-");
        try {
          filler.fill(staging);
          Files.createFile(staging.resolve(COMPLETE_MARKER));
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          FileTrees.deleteRecursively(staging);
        }
      }
    }
    return target;
  }
}
