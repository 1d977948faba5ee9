package net.appstore.catalog.core.blocklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic publication on a real file system: readers never see a mixed or torn version. */
class BlocklistFilesTest {

  @TempDir Path dir;

  @Test
  void current_nothingPublished_empty() throws Exception {
    assertThat(new BlocklistFiles(dir).current()).isEmpty();
  }

  @Test
  void publish_whileReadersRead_everyReadIsOneWholeVersion() throws Exception {
    BlocklistFiles files = new BlocklistFiles(dir);
    files.publish(1, jwt(1), json(1));
    AtomicBoolean publishing = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(3);
    List<Future<Integer>> reads = new ArrayList<>();
    CountDownLatch everyReaderRead = new CountDownLatch(3);
    for (int r = 0; r < 3; r++) {
      reads.add(
          readers.submit(
              () -> {
                int n = 0;
                while (publishing.get()) {
                  BlocklistFiles.Published p = files.current().orElseThrow();
                  String jwt = new String(p.jwt(), StandardCharsets.US_ASCII);
                  String json = new String(p.json(), StandardCharsets.UTF_8);
                  assertThat(jwt).isEqualTo("jwt-" + versionOf(json) + "-" + "x".repeat(4000));
                  if (n++ == 0) {
                    everyReaderRead.countDown();
                  }
                }
                return n;
              }));
    }
    // Publishing starts once every reader is reading, so the reads overlap the publishing.
    assertThat(everyReaderRead.await(30, TimeUnit.SECONDS)).isTrue();
    try {
      for (long v = 2; v <= 200; v++) {
        files.publish(v, jwt(v), json(v));
        files.prune(3);
      }
    } finally {
      publishing.set(false);
    }
    int total = 0;
    for (Future<Integer> read : reads) {
      total += read.get(30, TimeUnit.SECONDS);
    }
    readers.shutdown();

    assertThat(total).isPositive();
    assertThat(versionOf(new String(files.current().orElseThrow().json(), StandardCharsets.UTF_8)))
        .isEqualTo(200);
    assertThat(files.versionsOnDisk()).containsExactly(198L, 199L, 200L);
  }

  @Test
  void publish_existingVersion_refusedAndCurrentUnchanged() throws Exception {
    BlocklistFiles files = new BlocklistFiles(dir);
    files.publish(7, jwt(7), json(7));

    assertThatThrownBy(() -> files.publish(7, jwt(8), json(8)))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(new String(files.current().orElseThrow().jwt(), StandardCharsets.US_ASCII))
        .startsWith("jwt-7-");
  }

  @Test
  void prune_crashLeftovers_temporariesRemovedCurrentKept() throws Exception {
    BlocklistFiles files = new BlocklistFiles(dir);
    files.publish(1, jwt(1), json(1));
    Path leftover = Files.createDirectories(dir.resolve("versions/.tmp-000000000002-crashed"));
    Files.writeString(leftover.resolve("blocklist.jwt"), "half");

    files.prune(1);

    assertThat(Files.exists(leftover)).isFalse();
    assertThat(files.versionsOnDisk()).containsExactly(1L);
    assertThat(files.current()).isPresent();
  }

  private static byte[] jwt(long version) {
    return ("jwt-" + version + "-" + "x".repeat(4000)).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] json(long version) {
    return ("{\"version\":" + version + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static long versionOf(String json) {
    return Long.parseLong(json.replaceAll("\\D", ""));
  }
}
