package net.appstore.devservices.payments;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator as a separate process, for tests that must kill the gateway hard and start it
 * again: a child JVM on this JVM's class path (so the test class path must hold this module),
 * listening on a free port that it keeps across restarts, logging to {@code DIR/simulator.log}.
 *
 * <pre>
 * try (PaymentGatewayProcess gateway = PaymentGatewayProcess.start(dir, "--fault", "timeout")) {
 *   URI url = gateway.baseUri();
 *   ...
 *   gateway.kill();     // SIGKILL
 *   gateway.restart();  // same port, same ledger
 * }
 * </pre>
 *
 * <p>Not thread-safe.
 */
public final class PaymentGatewayProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+?);");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final List<String> extraArgs;
  private Process process;
  private URI baseUri;

  private PaymentGatewayProcess(Path dataDir, List<String> extraArgs) {
    this.dataDir = dataDir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts the simulator on a free port and waits until it listens.
   *
   * @param extraArgs further options, e.g. {@code "--fault", "decline"}
   */
  public static PaymentGatewayProcess start(Path dataDir, String... extraArgs) throws IOException {
    PaymentGatewayProcess gateway = new PaymentGatewayProcess(dataDir, List.of(extraArgs));
    gateway.launch(0);
    return gateway;
  }

  /** {@code http://127.0.0.1:PORT}; the same after {@link #restart()}. */
  public URI baseUri() {
    return baseUri;
  }

  public Path log() {
    return dataDir.resolve("simulator.log");
  }

  /** Kills the process with SIGKILL (no shutdown hook runs) and waits until it is gone. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts it again on the same port and data directory, after {@link #kill()} or a crash. */
  public void restart() throws IOException {
    kill();
    launch(baseUri.getPort());
  }

  @Override
  public void close() {
    kill();
  }

  private void launch(int port) throws IOException {
    Files.createDirectories(dataDir);
    long logOffset = Files.exists(log()) ? Files.size(log()) : 0;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            PaymentGatewaySimulator.class.getName(),
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString()));
    command.addAll(extraArgs);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
    baseUri = awaitListening(logOffset);
  }

  private URI awaitListening(long logOffset) throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      String output = logSince(logOffset);
      Matcher matcher = LISTENING.matcher(output);
      if (matcher.find()) {
        return URI.create(matcher.group(1));
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the payment gateway simulator exited: " + output);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the simulator started", e);
      }
    }
    kill();
    throw new IllegalStateException(
        "the payment gateway simulator did not start within " + START_TIMEOUT + "; see " + log());
  }

  private String logSince(long offset) {
    try (RandomAccessFile file = new RandomAccessFile(log().toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.max(0, file.length() - offset)];
      file.seek(offset);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
