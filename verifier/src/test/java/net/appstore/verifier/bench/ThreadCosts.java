package net.appstore.verifier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each thread of this JVM has cost so far, as Linux counts it in {@code /proc/self/task}: CPU
 * time in user and in kernel mode, and voluntary (blocked: waiting for I/O or a lock) and
 * involuntary (preempted) context switches. Two snapshots give the cost of what ran between them,
 * per thread group. Threads are matched by id, not name: Dropwizard renames its request threads
 * while they serve a request. Linux only.
 */
final class ThreadCosts {

  /** {@code /proc} reports CPU time in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
  private static final double MICROS_PER_TICK = 10_000;

  private record Counters(
      String name, long userTicks, long systemTicks, long blocked, long preempted) {}

  private final Map<String, Counters> byThreadId;

  private ThreadCosts(Map<String, Counters> byThreadId) {
    this.byThreadId = byThreadId;
  }

  static ThreadCosts now() {
    Map<String, Counters> threads = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          threads.put(task.getFileName().toString(), read(task));
        } catch (NoSuchFileException ended) {
          // The thread ended while we listed them; its cost is lost, as for any thread that ends.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/task (Linux only)", e);
    }
    return new ThreadCosts(threads);
  }

  /**
   * One line per thread group: CPU (user, kernel) in µs and context switches (blocked, preempted)
   * per operation, from {@code before} to this snapshot, and a total line.
   */
  List<String> perOperationSince(ThreadCosts before, long operations) {
    Map<String, double[]> groups = new TreeMap<>();
    double[] total = new double[4];
    for (Map.Entry<String, Counters> thread : byThreadId.entrySet()) {
      Counters now = thread.getValue();
      Counters then =
          before.byThreadId.getOrDefault(thread.getKey(), new Counters(now.name, 0, 0, 0, 0));
      double[] delta = {
        now.userTicks - then.userTicks,
        now.systemTicks - then.systemTicks,
        now.blocked - then.blocked,
        now.preempted - then.preempted
      };
      double[] group = groups.computeIfAbsent(group(now.name), g -> new double[4]);
      for (int i = 0; i < 4; i++) {
        group[i] += delta[i];
        total[i] += delta[i];
      }
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, double[]> group : groups.entrySet()) {
      if (noticeable(group.getValue(), operations)) {
        lines.add(line(group.getKey(), group.getValue(), operations));
      }
    }
    lines.add(line("all threads", total, operations));
    return lines;
  }

  /** At least 0.1 µs of CPU or one context switch in a hundred requests. */
  private static boolean noticeable(double[] counts, long operations) {
    return (counts[0] + counts[1]) * MICROS_PER_TICK / operations >= 0.1
        || (counts[2] + counts[3]) / operations >= 0.01;
  }

  private static String line(String group, double[] counts, long operations) {
    return String.format(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.2f | %.2f |",
        group,
        counts[0] * MICROS_PER_TICK / operations,
        counts[1] * MICROS_PER_TICK / operations,
        counts[2] / operations,
        counts[3] / operations);
  }

  /** Request threads, load generator, GC and JIT by kind; every other thread by its name. */
  private static String group(String name) {
    if (name.startsWith("dw-")) {
      return "dw-* (Jetty: selector and request threads)";
    }
    if (name.startsWith("bench-")) {
      return "bench-* (load generator)";
    }
    if (name.startsWith("G1") || name.startsWith("GC ")) {
      return "garbage collector";
    }
    if (name.contains("Compiler")) {
      return "JIT compiler";
    }
    return name.replaceAll("[0-9]+", "#");
  }

  private static Counters read(Path task) throws IOException {
    String stat = Files.readString(task.resolve("stat"));
    // "pid (comm) state ...": comm may hold spaces and parentheses, so split after the last ')'.
    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long blocked = 0;
    long preempted = 0;
    for (String line : Files.readAllLines(task.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        blocked = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
        preempted = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    // Fields after the command: state is index 0, so utime (field 14) is 11 and stime 12.
    return new Counters(
        name, Long.parseLong(fields[11]), Long.parseLong(fields[12]), blocked, preempted);
  }
}
