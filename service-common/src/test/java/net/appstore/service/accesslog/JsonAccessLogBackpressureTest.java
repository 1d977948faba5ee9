package net.appstore.service.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A blocked stdout must not hold requests: with the writer stuck and the queue full, requests are
 * still answered, their lines dropped and counted; once stdout moves again, every line is either
 * written or counted as dropped.
 */
class JsonAccessLogBackpressureTest {

  private static final int REQUESTS = 8;

  @Test
  void log_stdoutBlockedAndQueueFull_requestsAnsweredAndLinesDroppedAndCounted() throws Exception {
    BlockingStream stdout = new BlockingStream();
    Counter dropped = new Counter();
    JsonAccessLog log = new JsonAccessLog("test", List.of(), 1, stdout, dropped);
    log.start();
    try (LoggedJettyServer server = new LoggedJettyServer(log)) {
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(server.send("GET", "/r/" + i, "", "")).startsWith("HTTP/1.1 200");
      }
      // At most two lines escape the drop: one held by the blocked writer, one in the queue.
      await(() -> dropped.getCount() >= REQUESTS - 2);

      stdout.release();
      await(() -> stdout.lineCount() + dropped.getCount() == REQUESTS);
      assertThat(stdout.lineCount()).isBetween(1L, 2L);
    } finally {
      stdout.release();
      log.stop();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("condition reached within 5 s").isTrue();
  }

  /** Stands in for a stdout nobody reads: every write waits until released. */
  private static final class BlockingStream extends OutputStream {
    private final CountDownLatch released = new CountDownLatch(1);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    void release() {
      released.countDown();
    }

    long lineCount() {
      return written.toString(StandardCharsets.UTF_8).lines().count();
    }

    @Override
    public void write(int b) throws java.io.IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      written.write(bytes, offset, length);
    }
  }
}
