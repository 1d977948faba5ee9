package net.appstore.devservices.payments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator on a free port for a test class, with a client to it: started before the class,
 * faults cleared after each test, stopped and its ledger directory deleted after the class. Use as
 * {@code @RegisterExtension static final RunningSimulator gateway = new RunningSimulator();}.
 */
final class RunningSimulator implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private Path dataDir;
  private PaymentGatewaySimulator simulator;
  private GatewayClient client;

  PaymentGatewaySimulator simulator() {
    return simulator;
  }

  GatewayClient client() {
    return client;
  }

  /** Another simulator on a free port (the caller closes it), logging to stdout. */
  static PaymentGatewaySimulator start(Path dataDir, Faults faults) throws IOException {
    return PaymentGatewaySimulator.start(
        0,
        dataDir,
        faults,
        Clock.systemUTC(),
        new PrintStream(System.out, true, StandardCharsets.UTF_8));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("gateway-simulator");
    simulator = start(dataDir, new Faults());
    client = new GatewayClient(simulator.baseUri());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    client.clearFaults();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    simulator.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
