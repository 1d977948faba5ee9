package net.appstore.testkit.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setting up clusters and binaries: failure reporting and the once-only cache. */
class PostgresClusterTest {
  @TempDir Path temp;

  @Test
  void start_primaryPortTaken_failsWithServerLogTailAndDeletesDirectory() throws IOException {
    Path dir = temp.resolve("taken");
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(
              () -> PostgresCluster.builder(dir).primaryPort(squatter.getLocalPort()).start())
          .isInstanceOf(PostgresClusterException.class)
          .hasMessageContaining("primary (127.0.0.1:" + squatter.getLocalPort())
          .hasMessageContaining("did not start")
          .hasMessageContaining("last lines of")
          .hasMessageContaining("could not bind IPv4 address");
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void start_nonEmptyDirectory_isRefusedUntouched() throws IOException {
    Files.writeString(temp.resolve("keep.txt"), "mine");

    assertThatThrownBy(() -> PostgresCluster.builder(temp).start())
        .isInstanceOf(PostgresClusterException.class)
        .hasMessageContaining("is not empty");
    assertThat(temp.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  void populateOnce_fromConcurrentThreads_fillsOnceIntoOneDirectory() throws Exception {
    Path target = temp.resolve("cache/entry");
    AtomicInteger fills = new AtomicInteger();
    CacheDirectory.Filler slowFiller =
        dir -> {
          fills.incrementAndGet();
          LockSupport.parkNanos(100_000_000); // widen the window for other threads to arrive
          Files.writeString(dir.resolve("content"), "filled");
        };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Path>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(() -> CacheDirectory.populateOnce(target, slowFiller));
      }
      for (Future<Path> result : pool.invokeAll(calls)) {
        assertThat(result.get()).isEqualTo(target);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(fills).hasValue(1);
    assertThat(target.resolve("content")).hasContent("filled");
    try (var entries = Files.list(target.getParent())) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsOnly("entry", "entry.lock");
    }
  }

  @Test
  void populateOnce_targetWithoutMarker_isFilledAgain() throws Exception {
    Path target = temp.resolve("entry");
    Files.createDirectories(target);
    Files.writeString(target.resolve("half"), "left by a killed JVM");

    CacheDirectory.populateOnce(target, dir -> Files.writeString(dir.resolve("content"), "x"));

    assertThat(target.resolve("half")).doesNotExist();
    assertThat(target.resolve("content")).hasContent("x");
    assertThat(target.resolve(CacheDirectory.COMPLETE_MARKER)).exists();
  }

  @Test
  void unpacked_binaries_containServerTools() {
    PostgresBinaries binaries = PostgresBinaries.unpacked();

    assertThat(binaries.initdb()).isExecutable();
    assertThat(binaries.pgCtl()).isExecutable();
    assertThat(binaries.home().resolve("bin/postgres")).isExecutable();
  }
}
