package net.appstore.testkit.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an operation on N threads: a warm-up, then a measured phase recording every operation's
 * latency. Not a JMH harness: the operations here take tens of microseconds or more, so a loop with
 * {@code System.nanoTime()} around each call measures them well enough. Shared by the verifier's
 * and catalog-lite's benchmarks, so that their tables compare.
 */
public final class Rate {

  /** One operation; returns false if its answer was wrong (counted, not timed away). */
  @FunctionalInterface
  public interface Op {
    boolean run() throws Exception;
  }

  /** Makes each thread's operation (e.g. with its own connection). */
  @FunctionalInterface
  public interface OpFactory {
    Op create(int thread) throws Exception;
  }

  /**
   * @param cpuMicrosPerOp CPU time of this whole JVM (every thread: service, load generator, GC,
   *     JIT) during the measured phase, per operation
   * @param callerCpuMicrosPerOp CPU time of the measuring threads themselves per operation: for an
   *     in-process row the work itself, for an HTTPS row the load generator's cost
   * @param serverCpuMicrosPerOp CPU time of the service's request threads ({@code dw-*}: Jetty's
   *     selector and worker pool) per operation; 0 for in-process rows
   * @param loadAverage the machine's 1-minute load average at the end: other processes compete for
   *     the same cores, and this says how much
   */
  public record Result(
      int threads,
      double perSecond,
      double p50Micros,
      double p99Micros,
      long errors,
      double cpuMicrosPerOp,
      double callerCpuMicrosPerOp,
      double serverCpuMicrosPerOp,
      String loadAverage) {
    public String row(String what) {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %,.0f | %,.0f | %,.0f | %d | %,.0f | %,.0f | %,.0f | %s |",
          what,
          threads,
          perSecond,
          p50Micros,
          p99Micros,
          errors,
          cpuMicrosPerOp,
          callerCpuMicrosPerOp,
          serverCpuMicrosPerOp,
          loadAverage);
    }
  }

  private static final int MAX_SAMPLES = 4_000_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Rate() {}

  public static Result measure(int threads, Duration warmup, Duration run, OpFactory ops)
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
    AtomicLong callerCpuNanos = new AtomicLong();
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
                long cpuAtStart = -1;
                try {
                  while (true) {
                    long begin = System.nanoTime();
                    if (begin >= stop) {
                      break;
                    }
                    if (cpuAtStart < 0 && begin >= startMeasure) {
                      cpuAtStart = THREADS.getCurrentThreadCpuTime();
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
                  if (cpuAtStart >= 0) {
                    callerCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
                  }
                  done.countDown();
                }
              },
              "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    sleepUntil(startMeasure);
    long processCpuAtStart = processCpuNanos();
    ServerThreads server = new ServerThreads();
    done.await();
    long processCpuNanos = processCpuNanos() - processCpuAtStart;
    long serverCpuNanos = server.cpuNanosSinceStart();
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
        processCpuNanos / 1e3 / Math.max(1, total),
        callerCpuNanos.get() / 1e3 / Math.max(1, total),
        serverCpuNanos / 1e3 / Math.max(1, total),
        loadAverage());
  }

  /**
   * CPU time of the service's request threads ({@code dw-*}: Dropwizard's Jetty threads) from now
   * on, per thread, so that a pool thread ending or starting during the phase cannot make the sum
   * wrong (a thread that ends loses its share of the phase; before, it took its whole life's CPU
   * with it and the difference could go negative).
   */
  public static final class ServerThreads {
    private final Map<Long, Long> atStart = cpuNanosById();

    /** CPU time the {@code dw-*} threads alive now spent since this object was made. */
    public long cpuNanosSinceStart() {
      long sum = 0;
      for (Map.Entry<Long, Long> thread : cpuNanosById().entrySet()) {
        sum += thread.getValue() - atStart.getOrDefault(thread.getKey(), 0L);
      }
      return sum;
    }

    private static Map<Long, Long> cpuNanosById() {
      Map<Long, Long> cpu = new HashMap<>();
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info != null && info.getThreadName().startsWith("dw-")) {
          long nanos = THREADS.getThreadCpuTime(info.getThreadId());
          if (nanos >= 0) {
            cpu.put(info.getThreadId(), nanos);
          }
        }
      }
      return cpu;
    }
  }

  /** CPU time so far of this whole JVM, every thread. */
  public static long processCpuNanos() {
    return PROCESS.getProcessCpuTime();
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  public static String loadAverage() {
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
