package net.appstore.service.accesslog;

import com.codahale.metrics.Counter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes lines to a stream from one background thread, so that a slow or blocked stdout never holds
 * a request thread: {@link #offer} never blocks and never throws; when the bounded queue is full
 * the line is dropped and counted. Thread-safe; {@link #start} and {@link #stop} are called once
 * each by the owning request log's lifecycle.
 *
 * <p>The writer wakes on a timer ({@value #DRAIN_INTERVAL_MILLIS} ms) and writes what has queued
 * since, instead of waiting on the queue: a writer waiting on the queue is woken by the request
 * that queues the next line, and under load that was nearly every request, a thread wake-up and a
 * context switch each (about 12 µs of CPU per request in the verifier; docs/BENCHMARKS.md,
 * "Verifier"). Lines reach stdout up to that interval later; the queue holds the lines of far more
 * than one interval at any rate the services reach.
 */
final class AsyncLineWriter {

  private static final String LINE_SEPARATOR = System.lineSeparator();
  static final long DRAIN_INTERVAL_MILLIS = 50;

  private final BlockingQueue<String> queue;
  private final OutputStream out;
  private final Counter dropped;
  private final Thread thread;
  private volatile boolean running;

  AsyncLineWriter(String name, int capacity, OutputStream out, Counter dropped) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.out = out;
    this.dropped = dropped;
    this.thread = new Thread(this::drain, name);
    this.thread.setDaemon(true);
  }

  void offer(String line) {
    if (!queue.offer(line)) {
      dropped.inc();
    }
  }

  void start() {
    running = true;
    thread.start();
  }

  /** Writes what is queued, then ends the thread; waits at most {@code timeoutMillis}. */
  void stop(long timeoutMillis) throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    thread.join(timeoutMillis);
  }

  private void drain() {
    List<String> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      if (queue.drainTo(batch) > 0) {
        write(batch);
        batch.clear();
      }
      if (running) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DRAIN_INTERVAL_MILLIS));
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private void write(List<String> batch) {
    // One write per batch: the application log's appender writes to the same stdout, and a line
    // written apart from its separator could get another writer's line between them.
    StringBuilder lines = new StringBuilder(batch.size() * 256);
    for (String line : batch) {
      lines.append(line).append(LINE_SEPARATOR);
    }
    try {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // Nowhere left to report it: stdout itself failed. The lines are lost, and counted.
      dropped.inc(batch.size());
    }
  }
}
