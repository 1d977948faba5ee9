package net.appstore.signer.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.signer.core.HsmMonitor;
import net.appstore.signer.testing.Ledger;
import net.appstore.signer.testing.ReceiptRequests;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerClient;
import net.appstore.signer.testing.SignerKeys;
import net.appstore.signer.testing.TestRootCa;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import net.appstore.testkit.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * F13 as a drill on real processes: the signer runs as its own JVM under the local stack's
 * supervisor ({@code ops/lib/supervise}), as in the stack; the token's files vanish and come back.
 * The signer must answer 503 within a second and report not ready while the token is gone, and sign
 * again afterwards without anyone touching it: it sees the token back through a fresh probe
 * process, exits with status 75, and the supervisor starts it again.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class HsmRecoveryDrillTest {

  private static final Path SUPERVISE = Path.of("..", "ops", "lib", "supervise");

  private static Path stackDir;
  private static Process supervisor;
  private static SignerClient store;
  private static SignerClient admin;
  private static Ledger ledger;

  @BeforeAll
  static void startSupervisedSigner(SoftHsmToken hsm, PostgresTestDatabase db) throws Exception {
    var jdbi = RunningSigner.migrated(db);
    SignerKeys keys = SignerKeys.open(hsm, jdbi, TestRootCa.create());
    keys.create(KeyPurpose.RECEIPT, "receipt-2026-01", KeyState.ACTIVE);
    keys.create(KeyPurpose.BLOCKLIST, "blocklist-2026-01", KeyState.ACTIVE);
    ledger = new Ledger(jdbi);

    stackDir = Files.createTempDirectory("signer-drill-");
    Files.createDirectories(stackDir.resolve("logs"));
    Files.createDirectories(stackDir.resolve("run"));
    int port = freePort();
    int adminPort = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                SUPERVISE.toAbsolutePath().toString(),
                "signer",
                log().toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports",
                "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "net.appstore.signer.SignerApplication",
                "server",
                Path.of("config", "signer.yml").toAbsolutePath().toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(stackDir.resolve("supervisor.out").toFile());
    Map<String, String> env = builder.environment();
    env.putAll(RunningSigner.environment(hsm, db));
    env.put("SIGNER_PORT", Integer.toString(port));
    env.put("SIGNER_ADMIN_PORT", Integer.toString(adminPort));
    supervisor = builder.start();

    TestPki pki = TestPki.shared();
    store =
        SignerClient.of(
            URI.create("https://localhost:" + port + "/"),
            pki.trustStore(),
            pki.issueClient(RunningSigner.STORE_CALLER));
    admin = SignerClient.plain(URI.create("http://127.0.0.1:" + adminPort + "/"));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> admin.get("__heartbeat__").status() == 200);
  }

  @AfterAll
  static void stopSupervisor() throws Exception {
    if (supervisor != null) {
      supervisor.destroy(); // SIGTERM: the supervisor stops its child, then exits
      if (!supervisor.waitFor(20, TimeUnit.SECONDS)) {
        supervisor.destroyForcibly();
      }
    }
    Path child = stackDir.resolve("run").resolve("signer.child.pid");
    if (Files.exists(child)) {
      ProcessHandle.of(Long.parseLong(Files.readString(child).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void F13_tokenRemovedThenRestored_503WithinASecondReadinessDownThenSignsAgainUnattended(
      SoftHsmToken hsm) throws Exception {
    assertThat(store.post("v1/receipts", ReceiptRequests.valid().toString()).status())
        .isEqualTo(201);
    long logged = ledger.logEntries();
    Path away = hsm.directory().resolveSibling(hsm.directory().getFileName() + ".away");

    Files.move(hsm.directory(), away);
    long started = System.nanoTime();
    SignerClient.Reply refused = store.post("v1/receipts", ReceiptRequests.valid().toString());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(took).isLessThan(Duration.ofSeconds(1));
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(refused.json().get("reason").asText()).isEqualTo("HSM_UNAVAILABLE");
    SignerClient.Reply readiness = admin.get("__heartbeat__");
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.json().at("/checks/hsm/healthy").asBoolean()).isFalse();
    assertThat(admin.get("__lbheartbeat__").status()).isEqualTo(200);

    Files.move(away, hsm.directory());

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> store.post("v1/receipts", ReceiptRequests.valid().toString()).status() == 201);
    assertThat(Files.readString(log())).contains("exited with " + HsmMonitor.EXIT_HSM_RECOVERED);
    assertThat(ledger.logEntries()).isEqualTo(logged + 1);
    assertThat(ledger.verifyChain().isIntact()).isTrue();
  }

  private static Path log() {
    return stackDir.resolve("logs").resolve("signer.log");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
