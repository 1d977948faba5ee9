package net.appstore.service.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The writer behind the JSON request log: every line written once, in order, and lines queued
 * together written together (the writer drains on a timer rather than being woken per line).
 */
class AsyncLineWriterTest {

  private static final int LINES = 1000;

  @Test
  void stop_afterLinesQueued_everyLineWrittenOnceInOrderBeforeStopReturns() throws Exception {
    CountingStream out = new CountingStream();
    AsyncLineWriter writer = new AsyncLineWriter("test-log", LINES, out, new Counter());
    writer.start();

    List<String> lines = IntStream.range(0, LINES).mapToObj(i -> "line " + i).toList();
    lines.forEach(writer::offer);
    writer.stop(5_000);

    assertThat(out.text().lines()).containsExactlyElementsOf(lines);
  }

  @Test
  void offer_manyLinesAtOnce_writtenInAFewBatchesNotOneWritePerLine() throws Exception {
    CountingStream out = new CountingStream();
    Counter dropped = new Counter();
    AsyncLineWriter writer = new AsyncLineWriter("test-log", LINES, out, dropped);
    writer.start();
    try {
      for (int i = 0; i < LINES; i++) {
        writer.offer("line " + i);
      }
      WrittenLines.await(out, LINES); // written by the writer's own drains, not by stop
    } finally {
      writer.stop(5_000);
    }

    assertThat(dropped.getCount()).isZero();
    // Queuing 1,000 lines takes well under one drain interval; even a writer descheduled a few
    // times on a busy machine writes them in a handful of batches.
    assertThat(out.writes.get()).isBetween(1, 10);
  }

  /** Records what was written and how many write calls it took. */
  private static final class CountingStream extends ByteArrayOutputStream {
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      writes.incrementAndGet();
      super.write(bytes, offset, length);
    }

    synchronized String text() {
      return toString(StandardCharsets.UTF_8);
    }
  }
}
