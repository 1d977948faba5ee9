package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import net.appstore.ops.drills.ConcurrentLoad.Timed;

/**
 * A dependency that accepts the connection and never answers (F29): every outbound call has a
 * timeout below its caller's, so the caller answers in bounded time, and its threads do not pile up
 * while many requests wait on the hung dependency at once.
 */
class DependencyHangDrills {

  /** Requests in flight at once against the hung dependency. */
  private static final int CONCURRENT = 8;

  /**
   * The most a purchase may take with the gateway hung (catalog.yml): signing ({@code
   * purchases.signerTimeout} 3 s) plus the charge, its lookup and the one repeat and lookup the
   * flow allows ({@code purchases.paymentsTimeout} 3 s each, at most three of them in sequence),
   * and a second for the database writes. Below the drill client's own 15 s timeout.
   */
  private static final Duration PURCHASE_BOUND = Duration.ofSeconds(3 + 3 * 3 + 1);

  /**
   * The most a verification may take with the JWKS hung (verifier.yml): {@code keys.connectTimeout}
   * 1 s + {@code keys.readTimeout} 2 s for the one fetch, or {@code keys.refreshWait} 2 s for those
   * that wait on it, and two seconds of slack (3.1 s seen at load 7).
   */
  private static final Duration VERIFY_BOUND = Duration.ofSeconds(1 + 2 + 2);

  /** Threads a service may add for {@link #CONCURRENT} requests before it counts as a pile-up. */
  private static final int THREAD_SLACK = 16;

  @Drill(
      row = "F29",
      fault = "payments-timeout (gateway holds every charge response)",
      expected = "purchases answer within 13 s (charge looked up); catalog threads bounded")
  void paymentGatewayHangs_purchasesAnswerInBoundedTime(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    store.token("drill-f29");
    warmConnections(stack, store.paidApp(150));
    double threadsBefore = threads(stack, "CATALOG_ADMIN_URL");

    stack.fault("payments-timeout", true);
    List<Callable<Timed<Store.Purchase>>> buyers = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      String app = store.paidApp(150 + i);
      buyers.add(() -> Timed.of(() -> store.buy("drill-f29", app)));
    }
    ConcurrentLoad<Store.Purchase> load = ConcurrentLoad.run(stack, "CATALOG_ADMIN_URL", buyers);
    report.observed(
        CONCURRENT
            + " purchases: "
            + load.summary(p -> Integer.toString(p.httpStatus()))
            + ", slowest "
            + Await.seconds(load.slowest())
            + ", threads "
            + (int) threadsBefore
            + " -> max "
            + (int) load.maxThreads());
    for (Timed<Store.Purchase> bought : load.results()) {
      assertThat(bought.value().httpStatus())
          .as("purchase with the gateway hung: " + bought.value().body())
          .isIn(201, 202);
    }
    assertThat(load.slowest()).as("slowest purchase").isLessThan(PURCHASE_BOUND);
    assertThat(load.maxThreads())
        .as("catalog threads while " + CONCURRENT + " purchases wait on the gateway")
        .isLessThanOrEqualTo(threadsBefore + CONCURRENT + THREAD_SLACK);

    stack.fault("payments-timeout", false);
    String app = store.paidApp(150);
    report.awaitRecovery(
        Duration.ofSeconds(30),
        () -> {
          Timed<Store.Purchase> bought = Timed.of(() -> store.buy("drill-f29", app));
          return bought.value().httpStatus() == 201 && bought.took().toMillis() < 3000;
        });
    invariants.check(report);
  }

  @Drill(
      row = "F29",
      fault = "JWKS proxy in hang mode (accepts, never answers)",
      expected = "known kid ok, unknown kid 503 within 5 s; verifier threads bounded")
  void jwksHangs_verifierAnswersInBoundedTime(DrillStack stack, DrillReport report)
      throws Exception {
    Store store = new Store(stack);
    Store.Purchase bought = store.buy("drill-f29", store.paidApp(160));
    assertThat(bought.httpStatus()).as("purchase " + bought.body()).isEqualTo(201);
    Await.until(
        Duration.ofSeconds(20), () -> Verdict.of(stack, bought.receipt()).is("ok"), "ok before");
    // Within minRefreshInterval of a fetch the unknown kid is 503 without a fetch of its own, and
    // the hang would go untested.
    Duration aged = VerifierKeySet.awaitOlderThanMinRefreshInterval(stack);
    report.observed("key set aged past minRefreshInterval after " + Await.seconds(aged));
    double threadsBefore = threads(stack, "VERIFIER_ADMIN_URL");

    JwksProxy proxy = new JwksProxy(stack.stackDir().resolve("faultproxy/jwks.mode"));
    proxy.set("hang");
    try {
      List<Callable<Timed<Verdict>>> verifications = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        // A kid no key set has: each one makes the verifier look for it in a fresh key set.
        String stranger = withUnknownKid(bought.receipt());
        String known = bought.receipt();
        verifications.add(() -> Timed.of(() -> Verdict.of(stack, stranger)));
        verifications.add(() -> Timed.of(() -> Verdict.of(stack, known)));
      }
      ConcurrentLoad<Verdict> load = ConcurrentLoad.run(stack, "VERIFIER_ADMIN_URL", verifications);
      report.observed(
          verifications.size()
              + " verifications: "
              + load.summary(Verdict::toString)
              + ", slowest "
              + Await.seconds(load.slowest())
              + ", threads "
              + (int) threadsBefore
              + " -> max "
              + (int) load.maxThreads());
      for (Timed<Verdict> v : load.results()) {
        assertThat(v.value().httpStatus() == 503 || v.value().is("ok"))
            .as("ok (known kid) or 503 (unknown kid), never invalid: " + v.value())
            .isTrue();
      }
      assertThat(load.results()).filteredOn(v -> v.value().is("ok")).hasSize(CONCURRENT);
      assertThat(load.slowest()).as("slowest verification").isLessThan(VERIFY_BOUND);
      assertThat(load.maxThreads())
          .as("verifier threads while the JWKS hangs")
          .isLessThanOrEqualTo(threadsBefore + 2 * CONCURRENT + THREAD_SLACK);
    } finally {
      proxy.set("pass");
    }
    report.awaitRecovery(
        Duration.ofSeconds(30),
        () ->
            stack.https().post(stack.url("VERIFIER_ADMIN_URL", "/tasks/refresh-keys"), "").status()
                == 200);
    assertThat(Verdict.of(stack, bought.receipt()).is("ok")).isTrue();
  }

  /**
   * Opens the drill client's connections before the fault, so that the purchases' times are the
   * catalog's and not TLS handshakes of a loaded machine.
   */
  private static void warmConnections(DrillStack stack, String app) throws Exception {
    List<Callable<Timed<Integer>>> pages = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      pages.add(
          () ->
              Timed.of(
                  () ->
                      stack.https().get(stack.url("CATALOG_URL", "/api/v1/apps/" + app)).status()));
    }
    ConcurrentLoad.run(stack, "CATALOG_ADMIN_URL", pages);
  }

  private static double threads(DrillStack stack, String adminUrlName) throws Exception {
    return AdminMetrics.read(stack, adminUrlName, "jvm_threads_count");
  }

  /** The receipt with its header's kid replaced: authentic-looking, signed by no published key. */
  private static String withUnknownKid(String receipt) {
    String[] parts = receipt.split("\\.");
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String kid = KeyRegistryRows.kidOf(receipt);
    String changed = header.replace(kid, "drill-unknown-" + UUID.randomUUID());
    return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(changed.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[1]
        + "."
        + parts[2];
  }

  /** The mode file of the stack's JWKS fault proxy (ops/lib/services/15-faultproxies.sh). */
  private record JwksProxy(Path modeFile) {

    void set(String mode) throws Exception {
      Path tmp = modeFile.resolveSibling(modeFile.getFileName() + ".tmp");
      Files.writeString(tmp, mode + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp, modeFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path applied = modeFile.resolveSibling(modeFile.getFileName() + ".applied");
      Await.until(
          Duration.ofSeconds(10),
          () -> Files.exists(applied) && Files.readString(applied).trim().equals(mode),
          "JWKS proxy in mode " + mode);
    }
  }
}
