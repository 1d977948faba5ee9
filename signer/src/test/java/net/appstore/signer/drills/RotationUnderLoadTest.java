package net.appstore.signer.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import net.appstore.keytool.Keytool;
import net.appstore.keytool.KeytoolContext;
import net.appstore.signer.testing.IndependentVerifier;
import net.appstore.signer.testing.ReceiptRequests;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.signer.testing.SignerClient;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Key rotation under load, as operators run it: keys made by the real keytool CLI, the real signer
 * signing receipts from two callers while {@code keytool rotate} activates the next key. Every
 * receipt, signed before, during or after the rotation, must verify with nothing but the signer's
 * JWKS and the pinned root; receipts signed after the signer's key refresh carry the new kid.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class RotationUnderLoadTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rotate_whileReceiptsAreSigned_oldAndNewReceiptsAllVerify(
      SoftHsmToken hsm, PostgresTestDatabase db, @TempDir Path temp) throws Exception {
    RunningSigner.migrated(db);
    Map<String, String> env = new HashMap<>(RunningSigner.environment(hsm, db));
    env.put("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF"));
    keytool(env, "init", "--actor", "test");
    keytool(env, "rotate", "--purpose", "receipt", "--force", "--reason", "bootstrap");
    keytool(env, "rotate", "--purpose", "blocklist", "--force", "--reason", "bootstrap");
    Path rootPem = temp.resolve("root.pem");
    keytool(env, "export-root", "--out", rootPem.toString());
    String oldKid = activeReceiptKid(env);

    ConcurrentLinkedQueue<String> receipts = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean newKidSeen = new AtomicBoolean();
    String newKid;
    // The production JWKS refresh (10 s) or longer, so that the copy read just before the rotation
    // is still fresh when the new key signs its first receipt.
    try (RunningSigner signer =
        RunningSigner.start(hsm, db, ConfigOverride.config("jwks.refreshInterval", "5m"))) {
      SignerClient store = signer.client(RunningSigner.STORE_CALLER);
      ExecutorService callers = Executors.newFixedThreadPool(2);
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        running.add(
            callers.submit(
                () -> {
                  while (!stop.get()) {
                    var reply = store.post("v1/receipts", ReceiptRequests.valid().toString());
                    if (reply.status() == 201) {
                      receipts.add(JSON.readTree(reply.body()).get("receipt").asText());
                    } else {
                      failures.add(reply.status() + " " + reply.body());
                    }
                  }
                  return null;
                }));
      }
      awaitReceipts(receipts, 20);
      // A verifier fetched the JWKS just before the rotation: the signer's copy is fresh.
      assertThat(signer.anonymous().get(".well-known/jwks.json").body()).contains(oldKid);
      keytool(env, "rotate", "--purpose", "receipt", "--force", "--reason", "rotation drill");
      newKid = activeReceiptKid(env);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!newKidSeen.get() && Instant.now().isBefore(deadline)) {
        newKidSeen.set(receipts.stream().anyMatch(r -> kidOf(r).equals(newKid)));
        Thread.sleep(20);
      }
      // What a verifier fetches on the new kid's first receipt must publish it (a verifier
      // remembers a kid that a set fetched after its first sighting lacks as unknown).
      assertThat(signer.anonymous().get(".well-known/jwks.json").body())
          .as("the JWKS right after the first receipt signed with the new key")
          .contains(newKid);
      int afterSwitch = receipts.size();
      awaitReceipts(receipts, afterSwitch + 20);
      stop.set(true);
      for (Future<?> f : running) {
        f.get();
      }
      callers.shutdown();

      String jwks = signer.anonymous().get(".well-known/jwks.json").body();
      IndependentVerifier verifier = new IndependentVerifier(jwks, readCertificate(rootPem));
      for (String receipt : receipts) {
        verifier.verify(receipt);
      }
      assertThat(jwks).contains(oldKid).contains(newKid);
    }

    assertThat(failures).as("every request during the rotation was signed").isEmpty();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(newKidSeen).as("receipts carry the new kid after the key refresh").isTrue();
    List<String> kids = receipts.stream().map(RotationUnderLoadTest::kidOf).toList();
    assertThat(kids).contains(oldKid, newKid).containsOnly(oldKid, newKid);
    int lastOld = kids.lastIndexOf(oldKid);
    assertThat(kids.subList(lastOld + 1, kids.size()))
        .as("after the switch, only the new key signs")
        .isNotEmpty()
        .containsOnly(newKid);
  }

  private static void awaitReceipts(ConcurrentLinkedQueue<String> receipts, int count)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (receipts.size() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(receipts.size()).as("receipts signed").isGreaterThanOrEqualTo(count);
  }

  private static String kidOf(String receipt) {
    try {
      String header =
          new String(
              java.util.Base64.getUrlDecoder().decode(receipt.substring(0, receipt.indexOf('.'))),
              StandardCharsets.UTF_8);
      return JSON.readTree(header).get("kid").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String activeReceiptKid(Map<String, String> env) throws Exception {
    JsonNode keys = JSON.readTree(keytool(env, "list", "--json", "--purpose", "receipt"));
    for (JsonNode key : keys.isArray() ? keys : keys.path("keys")) {
      if ("ACTIVE".equals(key.path("state").asText())) {
        return key.path("kid").asText();
      }
    }
    throw new AssertionError("no ACTIVE receipt key in " + keys);
  }

  private static String keytool(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = Keytool.commandLine(KeytoolContext.of(env, Clock.systemUTC()));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int exit = cli.execute(args);
    assertThat(exit)
        .as("keytool %s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8))
        .isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static X509Certificate readCertificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
