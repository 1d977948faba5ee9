package net.appstore.verifier.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.appstore.testkit.bench.Rate;

/**
 * The service under wrk, a standard HTTP load tool written in C, through {@code
 * verifier/bench/verify.lua}: N keep-alive HTTPS connections on one wrk thread, the receipts of a
 * file in turn, every answer checked to be 200 {@code {"status":"ok"}} (a wrong one is an error).
 * wrk runs in its own process, so the row's JVM CPU is the service's alone; the load generator's
 * CPU (read by the script from {@code /proc/self/stat}) is the row's caller column.
 */
final class WrkLoad {

  private final Path wrk;
  private final Path script;
  private final double ticksPerSecond;

  WrkLoad(Path wrk, Path script) throws IOException, InterruptedException {
    this.wrk = wrk;
    this.script = script;
    this.ticksPerSecond =
        Double.parseDouble(output(Map.of(), List.of("getconf", "CLK_TCK")).strip());
  }

  /** A warm-up run (discarded), then the measured run of {@code connections} connections. */
  Rate.Result measure(int connections, Duration warmup, Duration run, URI uri, Path tokens)
      throws IOException, InterruptedException {
    if (!warmup.isZero()) {
      run(connections, warmup, uri, tokens);
    }
    long jvmCpuAtStart = Rate.processCpuNanos();
    Rate.ServerThreads server = new Rate.ServerThreads();
    Map<String, Long> result = run(connections, run, uri, tokens);
    long jvmCpuNanos = Rate.processCpuNanos() - jvmCpuAtStart;
    long serverCpuNanos = server.cpuNanosSinceStart();
    long requests = Math.max(1, result.get("requests"));
    double wrkCpuNanos = result.get("cpu_ticks") / ticksPerSecond * 1e9;
    return new Rate.Result(
        connections,
        requests / (result.get("duration_us") / 1e6),
        result.get("p50_us"),
        result.get("p99_us"),
        result.get("wrong") + result.get("socket_errors"),
        jvmCpuNanos / 1e3 / requests,
        wrkCpuNanos / 1e3 / requests,
        serverCpuNanos / 1e3 / requests,
        Rate.loadAverage());
  }

  /** One wrk run; the script's {@code WRK key=value ...} line as numbers. */
  private Map<String, Long> run(int connections, Duration duration, URI uri, Path tokens)
      throws IOException, InterruptedException {
    String output =
        output(
            Map.of("WRK_RECEIPTS", tokens.toString()),
            List.of(
                wrk.toString(),
                "-t1",
                "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--timeout",
                "5s",
                "-s",
                script.toString(),
                uri.toString()));
    for (String line : output.split("\n")) {
      if (line.startsWith("WRK ")) {
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.substring(4).strip().split(" ")) {
          String[] keyValue = pair.split("=", 2);
          values.put(keyValue[0], Long.parseLong(keyValue[1]));
        }
        return values;
      }
    }
    throw new IOException("wrk gave no result line:\n" + output);
  }

  private static String output(Map<String, String> environment, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(command.get(0) + " failed:\n" + output);
    }
    return output;
  }
}
