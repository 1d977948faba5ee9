package net.appstore.devservices.faultproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link FaultProxy} switched by a {@link ModeFile}, polled every 100 ms:
 *
 * <pre>
 * FaultProxyMain --listen-port P --target HOST:PORT --mode-file FILE
 * </pre>
 *
 * The local stack runs one per proxied dependency (ops/lib/services/15-faultproxies.sh); {@code
 * ./ops/stack fault ...} writes the mode files.
 */
public final class FaultProxyMain {

  private static final String USAGE =
      "usage: FaultProxyMain --listen-port P --target HOST:PORT --mode-file FILE\n"
          + "  FILE holds the mode: pass | refuse | hang | slow=<ms> (no file: pass)";

  private FaultProxyMain() {}

  /** The command line. */
  record Options(int listenPort, InetSocketAddress target, Path modeFile) {

    static Options parse(String... args) {
      Deque<String> rest = new ArrayDeque<>(List.of(args));
      Integer port = null;
      InetSocketAddress target = null;
      Path modeFile = null;
      while (!rest.isEmpty()) {
        String option = rest.pop();
        if (rest.isEmpty()) {
          throw new IllegalArgumentException(option + " needs a value");
        }
        String value = rest.pop();
        switch (option) {
          case "--listen-port" -> port = port(option, value);
          case "--target" -> target = target(value);
          case "--mode-file" -> modeFile = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
      }
      if (port == null || target == null || modeFile == null) {
        throw new IllegalArgumentException("--listen-port, --target and --mode-file are needed");
      }
      return new Options(port, target, modeFile);
    }

    private static InetSocketAddress target(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--target must be HOST:PORT, not '" + value + "'");
      }
      return InetSocketAddress.createUnresolved(
          value.substring(0, colon), port("--target", value.substring(colon + 1)));
    }

    private static int port(String option, String value) {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(option + " needs a port 0-65535, not '" + value + "'");
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    InetSocketAddress target =
        new InetSocketAddress(options.target().getHostString(), options.target().getPort());
    FaultProxy proxy;
    try {
      proxy =
          FaultProxy.start(
              options.listenPort(),
              target,
              ModeFile.read(options.modeFile()),
              Delay.SLEEP,
              System.out);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("error: the fault proxy cannot start: " + e);
      System.exit(1);
      return;
    }
    proxy.log("listening (mode " + proxy.mode() + ", mode file " + options.modeFile() + ")");
    ModeFile modeFile = new ModeFile(options.modeFile(), proxy, System.out);
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            modeFile.poll();
          } catch (IOException | RuntimeException e) {
            proxy.log("mode file unreadable: " + e.getMessage());
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }
}
