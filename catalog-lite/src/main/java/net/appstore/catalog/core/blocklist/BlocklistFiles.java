package net.appstore.catalog.core.blocklist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The published blocklist on disk, laid out so that publication is atomic and any static file
 * server can serve it:
 *
 * <pre>
 * DIR/versions/000000000042/blocklist.jwt    signed (compact JWS)
 * DIR/versions/000000000042/blocklist.json   the same payload, RFC 8785, unsigned
 * DIR/current -&gt; versions/000000000042     symbolic link, replaced atomically
 * </pre>
 *
 * <p>A version is written into a temporary directory, every file and directory is fsynced, the
 * directory is renamed to its final name, then a new link is renamed over {@code current}. A reader
 * therefore sees the old pair or the new pair, never a mix or a torn file; a crash at any point
 * leaves the last good version served. The newest {@code keep} versions stay on disk.
 *
 * <p>One publisher at a time (the publisher holds a database lock); readers may run concurrently.
 */
public final class BlocklistFiles {

  public static final String JWT = "blocklist.jwt";
  public static final String JSON = "blocklist.json";
  private static final Pattern VERSION_DIR = Pattern.compile("\\d{12}");

  private final Path dir;

  public BlocklistFiles(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path directory() {
    return dir;
  }

  public Path currentLink() {
    return dir.resolve("current");
  }

  /** The pair that {@code current} names now, read consistently. */
  public Optional<Published> current() throws IOException {
    Path target;
    try {
      target = Files.readSymbolicLink(currentLink());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Path versionDir = dir.resolve(target).normalize();
    try {
      return Optional.of(
          new Published(
              versionDir,
              Files.readAllBytes(versionDir.resolve(JWT)),
              Files.readAllBytes(versionDir.resolve(JSON))));
    } catch (NoSuchFileException e) {
      // Pruned between reading the link and the files: a newer version is current; read again.
      return current();
    }
  }

  /** Where {@code current} points now (cheap: one readlink), or empty if nothing is published. */
  public Optional<Path> currentTarget() {
    try {
      return Optional.of(Files.readSymbolicLink(currentLink()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Publishes a version atomically.
   *
   * @throws FileAlreadyExistsException if that version's directory exists already
   */
  public void publish(long version, byte[] jwt, byte[] json) throws IOException {
    Path versions = dir.resolve("versions");
    Files.createDirectories(versions);
    String name = String.format("%012d", version);
    Path finalDir = versions.resolve(name);
    if (Files.exists(finalDir)) {
      throw new FileAlreadyExistsException(finalDir.toString());
    }
    Path tmp = versions.resolve(".tmp-" + name + "-" + UUID.randomUUID());
    Files.createDirectory(tmp);
    try {
      writeDurably(tmp.resolve(JWT), jwt);
      writeDurably(tmp.resolve(JSON), json);
      fsyncDirectory(tmp);
      Files.move(tmp, finalDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    fsyncDirectory(versions);
    Path link = dir.resolve(".current-" + UUID.randomUUID());
    Files.createSymbolicLink(link, dir.relativize(finalDir));
    try {
      Files.move(
          link, currentLink(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(link);
      throw e;
    }
    fsyncDirectory(dir);
  }

  /**
   * Deletes all but the newest {@code keep} versions (never the current one) and stray temporaries.
   */
  public void prune(int keep) throws IOException {
    Path versions = dir.resolve("versions");
    if (!Files.isDirectory(versions)) {
      return;
    }
    Optional<Path> current = currentTarget().map(t -> dir.resolve(t).normalize());
    List<Path> published = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (VERSION_DIR.matcher(name).matches()) {
          published.add(entry);
        } else if (name.startsWith(".tmp-")) {
          deleteQuietly(entry);
        }
      }
    }
    published.sort(Comparator.comparing(p -> p.getFileName().toString()));
    for (int i = 0; i < published.size() - keep; i++) {
      Path old = published.get(i);
      if (current.isEmpty() || !current.get().equals(old)) {
        deleteQuietly(old);
      }
    }
  }

  /** The published version directories, oldest first. */
  public List<Long> versionsOnDisk() throws IOException {
    Path versions = dir.resolve("versions");
    List<Long> found = new ArrayList<>();
    if (Files.isDirectory(versions)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions)) {
        for (Path entry : entries) {
          if (VERSION_DIR.matcher(entry.getFileName().toString()).matches()) {
            found.add(Long.parseLong(entry.getFileName().toString()));
          }
        }
      }
    }
    found.sort(Comparator.naturalOrder());
    return found;
  }

  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    // Linux lets a directory be opened for reading and fsynced, which makes renames in it durable.
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
          for (Path entry : entries) {
            deleteQuietly(entry);
          }
        }
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Left for the next prune.
    }
  }

  /** A published version as read from disk. */
  public record Published(Path directory, byte[] jwt, byte[] json) {}
}
