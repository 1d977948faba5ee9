package net.appstore.ops.drills;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local stack the drills run against: every service as its own process ({@code ./ops/stack
 * up}), on ports offset from the development stack's so both can run at once, in {@code
 * ops/target/drill-stack}. Started once per test JVM and purged at its end. Faults are switched
 * with {@code ./ops/stack fault}, exactly as an operator would.
 *
 * <p>Environment: {@code DRILL_PORT_OFFSET} (default 10000), {@code DRILL_STACK_REUSE=1} uses a
 * drill stack that is already up and leaves it running; {@code DRILL_KEEP_STACK=1} leaves the stack
 * running after the drills (to look at it).
 */
public final class DrillStack implements ExtensionContext.Store.CloseableResource {

  /** Ports of the drill stack: the development stack's plus this ({@code DRILL_PORT_OFFSET}). */
  static final int PORT_OFFSET =
      Integer.parseInt(System.getenv().getOrDefault("DRILL_PORT_OFFSET", "10000"));

  private static final Duration UP_LIMIT = Duration.ofMinutes(8);

  private final Path repo;
  private final Path stackDir;
  private final Map<String, String> env;
  private final Set<String> faultsOn = new LinkedHashSet<>();
  private final boolean keep;
  private StackHttp https;
  private StackHttp storeCaller;
  private Jdbi primary;
  private Jdbi replica;

  private DrillStack(Path repo, Path stackDir, Map<String, String> env, boolean keep) {
    this.repo = repo;
    this.stackDir = stackDir;
    this.env = env;
    this.keep = keep;
  }

  static DrillStack get(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(DrillStack.class))
        .getOrComputeIfAbsent("stack", key -> start(), DrillStack.class);
  }

  private static DrillStack start() {
    Path repo = DrillPaths.repository();
    Path stackDir = DrillPaths.stackDir();
    DrillResults.reset();
    boolean reuse = "1".equals(System.getenv("DRILL_STACK_REUSE"));
    ProcessResult up =
        reuse && Files.exists(stackDir.resolve("env"))
            ? ProcessResult.ok("reused")
            : Ops.run(repo, stackDir, UP_LIMIT, DrillPaths.log("stack-up"), "ops/stack", "up");
    if (!up.succeeded()) {
      throw new IllegalStateException("./ops/stack up failed for the drills:\n" + up.tail(40));
    }
    return new DrillStack(
        repo, stackDir, readEnv(stackDir.resolve("env")), reuse || keepRequested());
  }

  private static boolean keepRequested() {
    return "1".equals(System.getenv("DRILL_KEEP_STACK"));
  }

  private static Map<String, String> readEnv(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the stack's environment " + file, e);
    }
    return values;
  }

  /** A value of the stack's {@code .stack/env} (URLs, JDBC URLs, certificate files). */
  public String env(String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(name + " is not in the drill stack's env: is that part up?");
    }
    return value;
  }

  public URI url(String name, String path) {
    return URI.create(env(name) + path);
  }

  /** HTTPS client trusting the stack's development CA. */
  public synchronized StackHttp https() {
    if (https == null) {
      https = StackHttp.trusting(Path.of(env("TRUSTSTORE")), null);
    }
    return https;
  }

  /** HTTPS client presenting the store's client certificate (the signer's purchase caller). */
  public synchronized StackHttp storeCaller() {
    if (storeCaller == null) {
      storeCaller =
          StackHttp.trusting(Path.of(env("TRUSTSTORE")), stackDir.resolve("tls/store-caller.p12"));
    }
    return storeCaller;
  }

  public synchronized Jdbi primary() {
    if (primary == null) {
      primary = Jdbi.create(env("PRIMARY_JDBC_URL"), env("PGUSER"), env("PGPASSWORD"));
    }
    return primary;
  }

  public synchronized Jdbi replica() {
    if (replica == null) {
      replica = Jdbi.create(env("REPLICA_JDBC_URL"), env("PGUSER"), env("PGPASSWORD"));
    }
    return replica;
  }

  /** Switches a fault with {@code ./ops/stack fault NAME on|off}; fails the drill if it fails. */
  public void fault(String name, boolean on) {
    ProcessResult result =
        ops(Duration.ofMinutes(2), "ops/stack", "fault", name, on ? "on" : "off");
    if (!result.succeeded()) {
      throw new AssertionError("./ops/stack fault " + name + " failed:\n" + result.tail(20));
    }
    if (on) {
      faultsOn.add(name);
    } else {
      faultsOn.remove(name);
    }
  }

  /** Lifts every fault a drill left on, so one failed drill does not fail the next ones. */
  void liftFaults() {
    for (String name : new ArrayList<>(faultsOn)) {
      try {
        fault(name, false);
      } catch (AssertionError e) {
        System.err.println("could not lift fault " + name + ": " + e.getMessage());
      }
    }
  }

  /** A bearer token from the stack's development identity provider. */
  public String token(String user) {
    return tokenFor(user, false);
  }

  public String operatorToken(String user) {
    return tokenFor(user, true);
  }

  private String tokenFor(String user, boolean operator) {
    List<String> args = new ArrayList<>(List.of("ops/stack", "token", user));
    if (operator) {
      args.add("--operator");
    }
    ProcessResult result = ops(Duration.ofSeconds(60), args.toArray(String[]::new));
    // A loaded machine (CI, builds beside the stack) can time out one connection: try again.
    for (int attempt = 2; attempt <= 3 && !result.succeeded(); attempt++) {
      sleep(Duration.ofSeconds(1));
      result = ops(Duration.ofSeconds(60), args.toArray(String[]::new));
    }
    if (!result.succeeded()) {
      throw new AssertionError("./ops/stack token failed:\n" + result.tail(10));
    }
    return result.lastLine();
  }

  /** Runs an ops script (e.g. {@code ops/keytool audit verify}) against this stack. */
  public ProcessResult ops(Duration limit, String... command) {
    return Ops.run(repo, stackDir, limit, null, command);
  }

  public Path stackDir() {
    return stackDir;
  }

  @Override
  public void close() {
    liftFaults();
    if (!keep) {
      Ops.run(
          repo,
          stackDir,
          Duration.ofMinutes(2),
          DrillPaths.log("stack-down"),
          "ops/stack",
          "down",
          "--purge");
    }
  }

  /** Waits for the given admin heartbeat URL to answer 200 (e.g. after a restart). */
  public void awaitHealthy(String adminUrlName, Duration limit) throws InterruptedException {
    URI heartbeat = url(adminUrlName, "/__lbheartbeat__");
    Await.until(limit, () -> https().get(heartbeat).status() == 200, adminUrlName + " healthy");
  }

  static void sleep(Duration d) {
    try {
      TimeUnit.MILLISECONDS.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
