package net.appstore.testkit.pg;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a cluster keeps its files under its base directory, and the small properties file that lets
 * another JVM (the CLI, a later {@code up}) find its ports and credentials again.
 */
record ClusterLayout(Path base) {
  /** {@code .s.PGSQL.NNNNN} is appended to the socket directory; Linux allows 107 bytes in all. */
  private static final int MAX_SOCKET_DIR_LENGTH = 107 - ".s.PGSQL.65535".length() - 1;

  ClusterLayout {
    base = base.toAbsolutePath().normalize();
  }

  Path primaryData() {
    return base.resolve("primary");
  }

  Path replicaData() {
    return base.resolve("replica");
  }

  Path primaryLog() {
    return base.resolve("log/primary.log");
  }

  Path replicaLog() {
    return base.resolve("log/replica.log");
  }

  Path socketDir() {
    return base.resolve("run");
  }

  Path descriptorFile() {
    return base.resolve("cluster.properties");
  }

  boolean holdsCluster() {
    return Files.isRegularFile(descriptorFile());
  }

  void requireShortSocketPath() {
    if (socketDir().toString().length() > MAX_SOCKET_DIR_LENGTH) {
      throw new PostgresClusterException(
          "base directory "
              + base
              + " is too long for a unix socket path (at most "
              + MAX_SOCKET_DIR_LENGTH
              + " characters for "
              + socketDir()
              + "); choose a shorter one");
    }
  }

  /** The ports and credentials of a cluster, saved once it is fully set up. */
  record Descriptor(int primaryPort, int replicaPort, String user, String password) {}

  void save(Descriptor descriptor) {
    Properties properties = new Properties();
    properties.setProperty("primary.port", Integer.toString(descriptor.primaryPort()));
    properties.setProperty("replica.port", Integer.toString(descriptor.replicaPort()));
    properties.setProperty("user", descriptor.user());
    properties.setProperty("password", descriptor.password());
    try (Writer out = Files.newBufferedWriter(descriptorFile())) {
      properties.store(out, "PostgreSQL primary + streaming replica made by the test kit");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + descriptorFile(), e);
    }
  }

  Descriptor load() {
    if (!holdsCluster()) {
      throw new PostgresClusterException(
          "no test kit cluster in " + base + " (" + descriptorFile().getFileName() + " missing)");
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(descriptorFile())) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + descriptorFile(), e);
    }
    return new Descriptor(
        Integer.parseInt(properties.getProperty("primary.port")),
        Integer.parseInt(properties.getProperty("replica.port")),
        properties.getProperty("user"),
        properties.getProperty("password"));
  }
}
