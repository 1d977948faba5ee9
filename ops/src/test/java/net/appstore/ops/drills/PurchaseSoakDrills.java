package net.appstore.ops.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The randomized long test of issue 7: several buyers buy paid and free apps, repeat requests and
 * get refunds while faults toggle at random; then everything is lifted, the reconciler runs, and
 * every purchase must have settled as its first answer said (FAILURE-MODES F19-F23). Seeded: {@code
 * -Ddrill.seed=N} repeats a run's choices (the seed is in the observation); bounded: {@code
 * -Ddrill.soakSeconds=N} (default 90, what CI runs).
 */
class PurchaseSoakDrills {

  private static final int BUYERS = 4;
  private static final List<String> FAULTS =
      List.of(
          "payments-decline",
          "payments-slow",
          "payments-timeout",
          "payments-lost-response",
          "payments-down",
          "replica-pause",
          "hsm-remove");

  /** The timeout fault holds answers 5 minutes by default; a few seconds exercise the same path. */
  private static final int TIMEOUT_HOLD_MS = 4000;

  private static final Set<Integer> PURCHASE_ANSWERS = Set.of(201, 202, 402, 409, 503);

  @Drill(
      row = "F19-F23",
      fault = "random payments-*, replica-pause, hsm-remove (seeded)",
      expected =
          "answers as designed; all settled; reconciler: nothing repaired twice, no findings")
  void randomFaultsUnderPurchases_everythingSettlesAsAnswered(DrillStack stack, DrillReport report)
      throws Exception {
    long seed = Long.getLong("drill.seed", System.currentTimeMillis());
    int seconds = Integer.getInteger("drill.soakSeconds", 90);
    report.observed("seed " + seed + ", " + seconds + " s");
    Store store = new Store(stack);
    Invariants invariants = new Invariants(stack);
    PurchaseProbe probe = new PurchaseProbe(stack, store, invariants);
    Catalogue apps = new Catalogue(store, new Random(seed));
    String run = "soak-" + Long.toHexString(seed);

    Soak soak = new Soak(store, apps, run);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService buyers = Executors.newFixedThreadPool(BUYERS);
    List<Future<?>> running = new ArrayList<>();
    for (int b = 0; b < BUYERS; b++) {
      String user = run + "-buyer" + b;
      store.token(user);
      Random random = new Random(seed * 31 + b);
      running.add(buyers.submit(() -> soak.buyUntil(user, random, deadline)));
    }
    Map<String, Integer> toggled = toggleFaultsUntil(stack, probe, new Random(seed), deadline);
    for (Future<?> f : running) {
      f.get(2, TimeUnit.MINUTES);
    }
    buyers.shutdownNow();
    stack.liftFaults();
    report.observed(soak.summary() + "; faults switched on " + toggled);
    assertThat(soak.unexpected).as("answers outside the design").isEmpty();

    // Everything lifted: signing comes back (the HSM token may have been away), refunds that were
    // not confirmed are retried by the operator as the runbook says (safe: same gateway key).
    report.awaitRecovery(
        Duration.ofSeconds(90), () -> store.buy(run + "-check", apps.paid()).httpStatus() == 201);
    for (String id : soak.unconfirmedRefunds) {
      Await.until(
          Duration.ofSeconds(30), () -> store.refund(id).status() == 200, "refund retried " + id);
    }
    JsonNode first = probe.reconcile();
    JsonNode second = probe.reconcile();
    report.observed(
        "reconciler: 1st run repaired "
            + first.path("repaired").size()
            + ", findings "
            + first.path("findings").size()
            + "; 2nd run repaired "
            + second.path("repaired").size()
            + ", findings "
            + second.path("findings").size());
    assertThat(first.path("findings")).as("findings of the first run").isEmpty();
    assertThat(second.path("repaired")).as("a second run has nothing to repair").isEmpty();
    assertThat(second.path("findings")).as("a second run finds nothing").isEmpty();

    Settlement settled = new Settlement(stack, probe, run);
    assertThat(settled.violations(soak)).as("purchases not settled as answered").isEmpty();
    report.observed(settled.summary());
    ProcessResult audit =
        stack.ops(Duration.ofSeconds(60), "ops/receipt-audit", "--grace", "0 seconds");
    assertThat(audit.exitCode()).as("receipts issued vs purchases:\n" + audit.tail(10)).isZero();
    invariants.check(report);
  }

  /**
   * Switches a random fault on or off every 0.5-2.5 s (at most two on at once) until the deadline;
   * returns how often each was switched on.
   */
  private static Map<String, Integer> toggleFaultsUntil(
      DrillStack stack, PurchaseProbe probe, Random random, long deadline) throws Exception {
    List<String> on = new ArrayList<>();
    Map<String, Integer> toggled = new TreeMap<>();
    while (System.nanoTime() < deadline) {
      DrillStack.sleep(Duration.ofMillis(500 + random.nextInt(2000)));
      String fault = FAULTS.get(random.nextInt(FAULTS.size()));
      boolean switchOn = !on.contains(fault) && on.size() < 2;
      if (!switchOn && !on.contains(fault)) {
        fault = on.get(random.nextInt(on.size()));
      }
      stack.fault(fault, switchOn);
      if (switchOn) {
        on.add(fault);
        toggled.merge(fault, 1, Integer::sum);
        if (fault.equals("payments-timeout")) {
          probe.gatewayHold(TIMEOUT_HOLD_MS);
        }
      } else {
        on.remove(fault);
      }
    }
    return toggled;
  }

  /** Seeded choices of apps to buy: the first paid and free apps of the seeded catalog. */
  private static final class Catalogue {
    private final List<String> paid = new ArrayList<>();
    private final List<String> free = new ArrayList<>();
    private final Random random;

    Catalogue(Store store, Random random) {
      for (int i = 0; i < 40; i++) {
        paid.add(store.paidApp(100 + i));
      }
      for (int i = 0; i < 10; i++) {
        free.add(store.freeApp(i));
      }
      this.random = random;
    }

    synchronized String paid() {
      return paid.get(random.nextInt(paid.size()));
    }

    String pick(Random r, boolean paidApp) {
      List<String> from = paidApp ? paid : free;
      return from.get(r.nextInt(from.size()));
    }
  }

  /** One purchase request as a buyer sent it, and every answer it got. */
  record Attempt(String user, String key, String slug, List<Integer> answers) {}

  /** The buyers' side: what they asked and what they were answered. */
  private static final class Soak {
    private final Store store;
    private final Catalogue apps;
    private final String run;
    final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unconfirmedRefunds = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> refunded = new ConcurrentLinkedQueue<>();
    final Map<Integer, AtomicInteger> statuses = Collections.synchronizedMap(new TreeMap<>());
    final AtomicInteger noAnswer = new AtomicInteger();

    Soak(Store store, Catalogue apps, String run) {
      this.store = store;
      this.apps = apps;
      this.run = run;
    }

    void buyUntil(String user, Random random, long deadline) {
      List<String> completed = new ArrayList<>();
      int n = 0;
      while (System.nanoTime() < deadline) {
        int dice = random.nextInt(100);
        String key = run + "-" + user + "-" + n++;
        try {
          if (dice < 10 && !completed.isEmpty()) {
            refund(completed.remove(random.nextInt(completed.size())));
          } else if (dice < 20) {
            // A double click: the same request twice at once, then once more later.
            String slug = apps.pick(random, random.nextBoolean());
            List<Store.Purchase> twice =
                PurchaseDrills.sendConcurrently(2, () -> store.buy(user, slug, key));
            twice.add(store.buy(user, slug, key));
            record(user, key, slug, twice, completed);
          } else {
            String slug = apps.pick(random, dice < 80);
            record(user, key, slug, List.of(store.buy(user, slug, key)), completed);
          }
        } catch (java.net.http.HttpTimeoutException e) {
          noAnswer.incrementAndGet(); // settled below like a 202: its key names the purchase
          attempts.add(new Attempt(user, key, null, List.of()));
        } catch (Exception e) {
          unexpected.add(key + ": " + e);
        }
      }
    }

    private void record(
        String user, String key, String slug, List<Store.Purchase> answers, List<String> done) {
      List<Integer> codes = answers.stream().map(Store.Purchase::httpStatus).toList();
      attempts.add(new Attempt(user, key, slug, codes));
      for (Store.Purchase a : answers) {
        statuses.computeIfAbsent(a.httpStatus(), s -> new AtomicInteger()).incrementAndGet();
        if (!PURCHASE_ANSWERS.contains(a.httpStatus())) {
          unexpected.add(key + ": " + a.httpStatus() + " " + a.body());
        } else if (a.httpStatus() == 201 && a.receipt() == null) {
          unexpected.add(key + ": 201 without a receipt");
        }
      }
      Set<String> ids =
          answers.stream()
              .filter(a -> a.httpStatus() != 409 && a.id() != null)
              .map(Store.Purchase::id)
              .collect(Collectors.toSet());
      if (ids.size() > 1) {
        unexpected.add(key + ": one key answered with purchases " + ids);
      }
      answers.stream()
          .filter(a -> a.httpStatus() == 201 && a.id() != null)
          .findFirst()
          .ifPresent(a -> done.add(a.id()));
    }

    private void refund(String id) throws Exception {
      StackHttp.Reply reply = store.refund(id);
      statuses.computeIfAbsent(1000 + reply.status(), s -> new AtomicInteger()).incrementAndGet();
      if (reply.status() == 200) {
        refunded.add(id);
      } else if (reply.status() == 503) {
        unconfirmedRefunds.add(id);
        refunded.add(id);
      } else {
        unexpected.add("refund " + id + ": " + reply.abbreviated());
      }
    }

    String summary() {
      Map<String, Integer> byStatus = new TreeMap<>();
      statuses.forEach(
          (s, n) -> byStatus.put(s >= 1000 ? "refund " + (s - 1000) : "" + s, n.get()));
      return attempts.size()
          + " purchase requests by "
          + BUYERS
          + " buyers, answers "
          + byStatus
          + (noAnswer.get() > 0 ? ", " + noAnswer.get() + " client timeouts" : "");
    }
  }

  /** The store's purchases of the run after the reconciler, compared with what buyers were told. */
  private static final class Settlement {
    private final Map<String, String> statusOf = new HashMap<>();
    private final Map<String, String> purchaseOfKey = new HashMap<>();
    private final Map<String, Long> moneyMovedOf = new HashMap<>();
    private final Map<String, String> chargeStatusOf = new HashMap<>();
    private final List<String> stale = new ArrayList<>();
    private int unfinished;

    Settlement(DrillStack stack, PurchaseProbe probe, String run) throws Exception {
      stack
          .primary()
          .useHandle(
              h -> {
                h.createQuery(
                        "SELECT p.id::text, p.status, k.idempotency_key,"
                            + " p.updated_at < now() - interval '10 minutes' AS stale"
                            + " FROM store.purchases p JOIN store.idempotency_keys k"
                            + " ON k.purchase_id = p.id WHERE p.user_id LIKE :run")
                    .bind("run", run + "-%")
                    .map(
                        (rs, ctx) -> {
                          statusOf.put(rs.getString(1), rs.getString(2));
                          purchaseOfKey.put(rs.getString(3), rs.getString(1));
                          if (rs.getBoolean(4)
                              && Set.of("RESERVED", "SIGNED").contains(rs.getString(2))) {
                            stale.add(rs.getString(1));
                          }
                          return 0;
                        })
                    .list();
              });
      for (JsonNode charge : probe.ledgerOf(statusOf.keySet())) {
        String id = charge.path("idempotency_key").asText();
        String status = charge.path("status").asText();
        chargeStatusOf.put(id, status);
        if (status.equals("succeeded") || status.equals("refunded")) {
          moneyMovedOf.merge(id, 1L, Long::sum);
        }
      }
    }

    List<String> violations(Soak soak) {
      List<String> violations = new ArrayList<>();
      Set<String> refunded = Set.copyOf(soak.refunded);
      for (Attempt attempt : soak.attempts) {
        String id = purchaseOfKey.get(attempt.key());
        if (id == null) {
          if (attempt.answers().stream().anyMatch(s -> s == 201 || s == 202 || s == 402)) {
            violations.add(attempt.key() + ": answered " + attempt.answers() + ", no purchase");
          }
          continue;
        }
        String status = statusOf.get(id);
        long charges = moneyMovedOf.getOrDefault(id, 0L);
        if (charges > 1) {
          violations.add(id + ": charged " + charges + " times");
        }
        int answer = attempt.answers().stream().filter(s -> s != 409).findFirst().orElse(409);
        String expected =
            switch (answer) {
              case 201 -> refunded.contains(id) ? "REFUNDED" : "COMPLETED";
              case 402, 503 -> "VOIDED";
              default -> null; // 202, no answer, only 409s: whatever the gateway says
            };
        if (expected != null && !expected.equals(status)) {
          violations.add(id + ": answered " + answer + " but " + status);
        }
        boolean moneyExpected = "COMPLETED".equals(status) || "REFUNDED".equals(status);
        if (charges > 0 && !moneyExpected) {
          violations.add(id + ": " + status + " with a charge that moved money");
        }
        if ("REFUNDED".equals(status) && chargeStatusOf.containsKey(id)) {
          if (!"refunded".equals(chargeStatusOf.get(id))) {
            violations.add(id + ": REFUNDED but the charge is " + chargeStatusOf.get(id));
          }
        }
        if ("RESERVED".equals(status) || "SIGNED".equals(status)) {
          unfinished++;
        }
      }
      for (String id : stale) {
        violations.add(id + ": unfinished longer than the reconciler's window");
      }
      return violations;
    }

    String summary() {
      Map<String, Long> byStatus =
          statusOf.values().stream()
              .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
      long charged = moneyMovedOf.values().stream().mapToLong(Long::longValue).sum();
      return "settled: "
          + byStatus
          + ", "
          + charged
          + " charges moved money"
          + (unfinished > 0
              ? ", " + unfinished + " unfinished without a charge (voided after staleAfter)"
              : "");
    }
  }
}
