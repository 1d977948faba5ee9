package net.appstore.devservices.payments;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated third-party payment gateway for the local stack and tests: a Stripe-like JSON API
 * over plain HTTP on 127.0.0.1, a durable charge ledger, and faults switchable at runtime. The API
 * and the exact semantics of every fault are in {@code ops/dev-services/PAYMENTS.md}.
 *
 * <pre>
 * PaymentGatewaySimulator --data-dir DIR [--port P] [--fault NAME]... [--slow-latency-ms MS]
 *                         [--timeout-hold-ms MS]
 * </pre>
 *
 * <p>Plain HTTP is deliberate: it stands in for a third party on the developer's own machine, binds
 * to the loopback interface only, and carries no real card data. Thread-safe; stop it with {@link
 * #close()}.
 */
public final class PaymentGatewaySimulator implements AutoCloseable {

  public static final int DEFAULT_PORT = 18843;
  private static final int WORKER_THREADS = 8;
  private static final String USAGE =
      "usage: PaymentGatewaySimulator --data-dir DIR [--port P (default "
          + DEFAULT_PORT
          + ", 0 = any free port)] [--fault NAME]... [--slow-latency-ms MS]"
          + " [--timeout-hold-ms MS]\n  faults: decline, slow, timeout, down, lost-response";

  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final ChargeLedger ledger;
  private final Faults faults;

  private PaymentGatewaySimulator(
      HttpServer server,
      ExecutorService workers,
      ScheduledExecutorService timer,
      ChargeLedger ledger,
      Faults faults) {
    this.server = server;
    this.workers = workers;
    this.timer = timer;
    this.ledger = ledger;
    this.faults = faults;
  }

  /**
   * Loads the ledger in {@code dataDir} (creating it when new) and starts serving on 127.0.0.1.
   *
   * @param port 0 for any free port
   * @param faults the switchboard, possibly with faults already on
   * @param out where each request and fault switch is logged
   * @throws IllegalStateException when the ledger is corrupt or used by another simulator
   */
  public static PaymentGatewaySimulator start(
      int port, Path dataDir, Faults faults, Clock clock, PrintStream out) throws IOException {
    EventLog log = new EventLog(out, clock);
    ChargeLedger ledger = ChargeLedger.open(dataDir, clock, log);
    ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, daemon("worker"));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("timer"));
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(loopback(), port), /* backlog */ 128);
      server.setExecutor(workers);
      server.createContext("/v1/", new GatewayApi(ledger, faults, workers, timer, log));
      server.createContext(FaultsApi.PATH, new FaultsApi(faults, log));
      server.createContext("/__lbheartbeat__", fixed(200, Map.of()));
      server.createContext("/", fixed(404, ApiException.notFound("no such endpoint").toJson()));
      server.start();
      return new PaymentGatewaySimulator(server, workers, timer, ledger, faults);
    } catch (IOException | RuntimeException e) {
      timer.shutdownNow();
      workers.shutdown();
      ledger.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The live switchboard, also reachable over HTTP at {@code /__faults__}. */
  public Faults faults() {
    return faults;
  }

  /** The ledger file, {@code DIR/ledger.jsonl}. */
  public Path ledgerFile() {
    return ledger.path();
  }

  /**
   * Stops serving: open connections, including held responses, are closed without an answer; a
   * request being recorded finishes its fsync first.
   */
  @Override
  public void close() {
    server.stop(0);
    timer.shutdownNow();
    // no interrupts: an interrupted FileChannel write would close the ledger mid-append
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
      ledger.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    Faults faults;
    try {
      options = Options.parse(args);
      faults = options.switchboard();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    PaymentGatewaySimulator simulator;
    try {
      simulator = start(options.port(), options.dataDir(), faults, Clock.systemUTC(), System.out);
    } catch (IOException | IllegalStateException e) {
      System.err.println("error: the payment gateway simulator cannot start: " + e);
      System.exit(1);
      return;
    }
    System.out.printf(
        "payment gateway simulator (a test double: plain HTTP, loopback only) listening on %s;"
            + " ledger %s (%d charges); faults on: %s%n",
        simulator.baseUri(),
        simulator.ledgerFile(),
        simulator.ledger.chargeCount(),
        faults.active().isEmpty() ? "none" : faults.active().stream().map(Fault::id).toList());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                }));
    stopped.await();
  }

  /** The command line. */
  record Options(
      int port,
      Path dataDir,
      Set<Fault> faults,
      Optional<Duration> slowLatency,
      Optional<Duration> timeoutHold) {

    static Options parse(String... args) {
      Deque<String> rest = new ArrayDeque<>(List.of(args));
      int port = DEFAULT_PORT;
      Path dataDir = null;
      Set<Fault> faults = EnumSet.noneOf(Fault.class);
      Optional<Duration> slow = Optional.empty();
      Optional<Duration> hold = Optional.empty();
      while (!rest.isEmpty()) {
        String option = rest.pop();
        if (rest.isEmpty()) {
          throw new IllegalArgumentException(option + " needs a value");
        }
        String value = rest.pop();
        switch (option) {
          case "--port" -> port = (int) number(option, value, 65535);
          case "--data-dir" -> dataDir = Path.of(value);
          case "--fault" -> {
            for (String name : value.split(",")) {
              faults.add(
                  Fault.byId(name.strip())
                      .orElseThrow(() -> new IllegalArgumentException("unknown fault " + name)));
            }
          }
          case "--slow-latency-ms" ->
              slow = Optional.of(Duration.ofMillis(number(option, value, Long.MAX_VALUE)));
          case "--timeout-hold-ms" ->
              hold = Optional.of(Duration.ofMillis(number(option, value, Long.MAX_VALUE)));
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
      }
      if (dataDir == null) {
        throw new IllegalArgumentException("--data-dir is required");
      }
      return new Options(port, dataDir, faults, slow, hold);
    }

    /** The faults to start with, and the delays {@code slow} and {@code timeout} default to. */
    Faults switchboard() {
      Faults switchboard =
          new Faults(
              slowLatency.orElse(Faults.DEFAULT_SLOW_LATENCY),
              timeoutHold.orElse(Faults.DEFAULT_TIMEOUT_HOLD));
      faults.forEach(switchboard::on);
      return switchboard;
    }

    private static long number(String option, String value, long max) {
      try {
        long number = Long.parseLong(value);
        if (number >= 0 && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new IllegalArgumentException(option + " needs a number from 0 to " + max);
    }
  }

  private static HttpHandler fixed(int status, Map<String, ?> body) {
    return exchange -> HttpIo.send(exchange, status, body, Map.of());
  }

  private static InetAddress loopback() throws IOException {
    return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
  }

  private static ThreadFactory daemon(String role) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "payments-" + role + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
