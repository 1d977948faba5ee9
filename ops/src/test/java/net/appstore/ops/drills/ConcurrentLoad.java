package net.appstore.ops.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Calls run all at once against the stack while one service's thread count ({@code
 * jvm_threads_count} on its admin port) is sampled: what each call answered, how long it took, and
 * the most threads the service had meanwhile (F29: no pile-up).
 */
public record ConcurrentLoad<T>(List<ConcurrentLoad.Timed<T>> results, double maxThreads) {
  /** A value and how long it took to get. */
  public record Timed<T>(T value, Duration took) {
    static <T> Timed<T> of(Callable<T> call) throws Exception {
      long start = System.nanoTime();
      T value = call.call();
      return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Runs the calls at once, each on its own thread, sampling the service's threads meanwhile. */
  public static <T> ConcurrentLoad<T> run(
      DrillStack stack, String adminUrlName, List<Callable<Timed<T>>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicReference<Double> max = new AtomicReference<>(0.0);
    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  double now = AdminMetrics.read(stack, adminUrlName, "jvm_threads_count");
                  max.accumulateAndGet(now, Math::max);
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // a missed sample; the next one counts
                }
              }
            },
            "drill-thread-sampler");
    sampler.start();
    try {
      List<Future<Timed<T>>> futures = pool.invokeAll(calls);
      List<Timed<T>> results = new ArrayList<>();
      for (Future<Timed<T>> f : futures) {
        results.add(f.get());
      }
      return new ConcurrentLoad<>(results, max.get());
    } finally {
      running.set(false);
      sampler.interrupt();
      sampler.join(2000);
      pool.shutdownNow();
    }
  }

  public Duration slowest() {
    return results.stream().map(Timed::took).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  public String summary(Function<T, String> label) {
    Map<String, Long> counts =
        results.stream()
            .collect(
                Collectors.groupingBy(
                    t -> label.apply(t.value()), TreeMap::new, Collectors.counting()));
    return counts.toString();
  }
}
