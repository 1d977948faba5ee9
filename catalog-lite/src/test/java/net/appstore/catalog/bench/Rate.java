package net.appstore.catalog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A copy of the verifier benchmark's harness (verifier/src/test/.../bench/Rate.java): the verifier
 * publishes no test-jar and this is benchmark code, not worth a shared module of its own; keep the
 * two alike so their tables compare.
 *
 * <p>Runs an operation on N threads: a warm-up, then a measured phase recording every operation's
 * latency. Not a JMH harness: the operations here take tens of microseconds or more, so a loop with
 * {@code System.nanoTime()} around each call measures them well enough.
 */
final class Rate {

  /** One operation; returns false if its answer was wrong (counted, not timed away). */
  @FunctionalInterface
  interface Op {
    boolean run() throws Exception;
  }

  /** Makes each thread's operation (e.g. with its own connection). */
  @FunctionalInterface
  interface OpFactory {
    Op create(int thread) throws Exception;
  }

  /**
   * @param loadAverage the machine's 1-minute load average at the end: other processes compete for
   *     the same cores, and this says how much
   */
  record Result(
      int threads,
      double perSecond,
      double p50Micros,
      double p99Micros,
      long errors,
      String loadAverage) {
    String row(String what) {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %,.0f | %,.0f | %,.0f | %d | %s |",
          what,
          threads,
          perSecond,
          p50Micros,
          p99Micros,
          errors,
          loadAverage);
    }
  }

  private static final int MAX_SAMPLES = 4_000_000;

  private Rate() {}

  static Result measure(int threads, Duration warmup, Duration run, OpFactory ops)
      throws Exception {
    List<Op> perThread = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      perThread.add(ops.create(i));
    }
    long[][] samples = new long[threads][];
    int[] counts = new int[threads];
    AtomicLong errors = new AtomicLong();
    AtomicLong[] measured = new AtomicLong[threads];
    long startMeasure = System.nanoTime() + warmup.toNanos();
    long stop = startMeasure + run.toNanos();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      samples[t] = new long[MAX_SAMPLES / threads];
      measured[t] = new AtomicLong();
      Thread worker =
          new Thread(
              () -> {
                Op op = perThread.get(index);
                long[] mine = samples[index];
                try {
                  while (true) {
                    long begin = System.nanoTime();
                    if (begin >= stop) {
                      break;
                    }
                    boolean ok = op.run();
                    long end = System.nanoTime();
                    if (begin >= startMeasure && end <= stop) {
                      if (!ok) {
                        errors.incrementAndGet();
                      }
                      if (counts[index] < mine.length) {
                        mine[counts[index]++] = end - begin;
                      }
                      measured[index].incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                  e.printStackTrace();
                } finally {
                  done.countDown();
                }
              },
              "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    done.await();
    long total = 0;
    int sampleCount = 0;
    for (int t = 0; t < threads; t++) {
      total += measured[t].get();
      sampleCount += counts[t];
    }
    long[] all = new long[sampleCount];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    double seconds = run.toNanos() / 1e9;
    return new Result(
        threads,
        total / seconds,
        percentile(all, 0.50) / 1e3,
        percentile(all, 0.99) / 1e3,
        errors.get(),
        loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
