package net.appstore.catalog.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.dropwizard.testing.ConfigOverride;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.appstore.catalog.db.StoreMigrations;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.catalog.testing.HttpsClient;
import net.appstore.catalog.testing.HttpsClient.Reply;
import net.appstore.catalog.testing.RunningCatalog;
import net.appstore.catalog.testing.TestTls;
import net.appstore.devservices.idp.DevIdpServer;
import net.appstore.devservices.idp.IdpKey;
import net.appstore.devservices.idp.Role;
import net.appstore.devservices.idp.TokenRequest;
import net.appstore.devservices.payments.PaymentGatewayProcess;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.tls.TestPki;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The purchase flow end to end (FAILURE-MODES F19-F23, F30): the real catalog service over HTTPS,
 * real PostgreSQL, the simulated payment gateway as its own process, and a stand-in for the
 * signer's receipt contract over mutual TLS. After each scenario the invariants are checked against
 * the gateway's ledger: every charge that moved money has a COMPLETED or REFUNDED purchase with a
 * receipt; no VOIDED purchase has such a charge.
 */
@PostgresTest
class PurchaseFlowTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static PostgresTestDatabase database;
  private static RunningCatalog catalog;
  private static HttpsClient http;
  private static DevIdpServer idp;
  private static Jdbi primary;
  private static PaymentGatewayProcess gateway;
  private static StandInReceiptSigner signer;
  private static Path journal;
  private static String paidSlug;
  private static String freeSlug;
  private static final HttpClient PLAIN =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Purchases a test left for the reconciler on purpose; the invariants skip them. */
  private static final Set<String> LEFT_FOR_RECONCILER = new HashSet<>();

  @BeforeAll
  static void start(PostgresTestDatabase db) throws Exception {
    database = db;
    CatalogDatabases.migrateAndSeed(db, 40, 40, 7);
    StoreMigrations.migrate(CatalogDatabases.primaryDataSource(db));
    primary = CatalogDatabases.primary(db);
    paidSlug = firstApp("IS NOT NULL");
    freeSlug = firstApp("IS NULL");
    idp =
        DevIdpServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            TestTls.withKey(TestTls.pki().serverKeyStore()),
            IdpKey.generate(),
            null,
            Clock.systemUTC());
    gateway = PaymentGatewayProcess.start(Files.createTempDirectory("payments-"));
    signer = new StandInReceiptSigner(TestTls.withKey(TestTls.pki().serverKeyStore()));
    journal = Files.createTempDirectory("journal-").resolve("completions.jsonl");
    startCatalog();
  }

  private static void startCatalog(ConfigOverride... extra) throws Exception {
    List<ConfigOverride> overrides =
        new ArrayList<>(
            List.of(
                ConfigOverride.config("purchases.signerUrl", signer.baseUri().toString()),
                ConfigOverride.config("purchases.paymentsUrl", gateway.baseUri().toString()),
                ConfigOverride.config("purchases.paymentsTimeout", "1s"),
                ConfigOverride.config("purchases.signerTimeout", "3s"),
                ConfigOverride.config("purchases.journalFile", journal.toString()),
                ConfigOverride.config("purchases.replayEvery", "200ms"),
                ConfigOverride.config(
                    "tlsClient.keyStorePath", TestTls.clientKeyStore().toString()),
                ConfigOverride.config("tlsClient.keyStorePassword", TestPki.PASSWORD)));
    overrides.addAll(List.of(extra));
    catalog =
        RunningCatalog.start(
            database,
            idp.baseUri(),
            Files.createTempDirectory("blocklist-"),
            overrides.toArray(ConfigOverride[]::new));
    http = catalog.client();
  }

  @AfterEach
  void heal() throws Exception {
    send(HttpRequest.newBuilder(gateway.baseUri().resolve("/__faults__")).DELETE().build());
    signer.unavailableFor(0);
    signer.delay(Duration.ZERO);
    primary.useHandle(h -> h.execute("DROP TRIGGER IF EXISTS fail_completion ON store.purchases"));
  }

  @AfterAll
  static void stop() {
    catalog.close();
    signer.close();
    gateway.close();
    idp.close();
  }

  @Test
  void purchase_paidApp_201CompletedWithVerifiableReceiptChargedOnce() throws Exception {
    Reply reply = buy(token("paula"), paidSlug, key());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    JsonNode body = reply.json();
    assertThat(body.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(body.get("download_url").asText()).contains(paidSlug);
    SignedJWT receipt = SignedJWT.parse(body.get("receipt").asText());
    assertThat(receipt.verify(new RSASSAVerifier(signer.publicKey()))).isTrue();
    // A directed identifier, never the user id itself.
    Object user = receipt.getJWTClaimsSet().getJSONObjectClaim("user").get("value");
    assertThat(user.toString()).isNotEqualTo("paula").hasSizeGreaterThan(20);
    String id = body.get("purchase_id").asText();
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(receiptJti(id)).isEqualTo(receipt.getJWTClaimsSet().getJWTID());
    assertThat(chargesUnder(id))
        .extracting(c -> c.get("status").asText())
        .containsExactly("succeeded");
    assertInvariants();
  }

  @Test
  void purchase_freeApp_201CompletedNothingCharged() throws Exception {
    Reply reply = buy(token("fred"), freeSlug, key());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    String id = reply.json().get("purchase_id").asText();
    assertThat(reply.json().get("receipt").asText()).isNotEmpty();
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(chargesUnder(id)).isEmpty();
    assertInvariants();
  }

  @Test
  void F23_sameRequest20TimesConcurrently_oneChargeOnePurchaseSameReceipt() throws Exception {
    String token = token("double-clicker");
    String key = key();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        replies.add(
            pool.submit(
                () -> {
                  go.await();
                  return buy(token, paidSlug, key);
                }));
      }
      go.countDown();
      Set<String> receipts = new HashSet<>();
      for (Future<Reply> future : replies) {
        Reply reply = future.get();
        assertThat(reply.status()).as(reply.toString()).isIn(201, 409);
        if (reply.status() == 201) {
          receipts.add(reply.json().get("receipt").asText());
        }
      }
      Reply after = buy(token, paidSlug, key);
      assertThat(after.status()).isEqualTo(201);
      assertThat(after.header("Idempotent-Replayed")).contains("true");
      receipts.add(after.json().get("receipt").asText());
      assertThat(receipts).hasSize(1);
      String id = after.json().get("purchase_id").asText();
      assertThat(
              count("SELECT count(*) FROM store.purchases WHERE user_id = :id", "double-clicker"))
          .isEqualTo(1);
      assertThat(chargesUnder(id)).hasSize(1);
      assertInvariants();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void purchase_sameKeyOtherParameters_422() throws Exception {
    String token = token("changer");
    String key = key();
    assertThat(buy(token, paidSlug, key).status()).isEqualTo(201);

    Reply otherApp = buy(token, freeSlug, key);
    Reply otherBody =
        http.post(
            "api/v1/apps/" + paidSlug + "/purchases",
            "{\"note\": \"other\"}",
            "Authorization",
            "Bearer " + token,
            "Idempotency-Key",
            key);

    assertThat(otherApp.status()).isEqualTo(422);
    assertThat(otherApp.json().get("reason").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(otherBody.status()).isEqualTo(422);
  }

  @Test
  void purchase_sameKeyOtherUser_separatePurchase() throws Exception {
    String key = key();
    Reply first = buy(token("user-a"), freeSlug, key);
    Reply second = buy(token("user-b"), freeSlug, key);

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.json().get("purchase_id")).isNotEqualTo(first.json().get("purchase_id"));
  }

  @Test
  void purchase_sameKeyWhileFirstInFlight_409() throws Exception {
    String token = token("impatient");
    String key = key();
    signer.delay(Duration.ofMillis(1500));
    CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> buy(token, paidSlug, key));
    // The first request holds the key once its reservation is committed; the signer's delay keeps
    // it in flight from there.
    awaitTrue(
        "the first request reserved the key",
        () ->
            count("SELECT count(*) FROM store.idempotency_keys WHERE idempotency_key = :id", key)
                == 1);

    Reply second = buy(token, paidSlug, key);

    assertThat(second.status()).as(second.toString()).isEqualTo(409);
    assertThat(second.json().get("reason").asText()).isEqualTo("REQUEST_IN_FLIGHT");
    assertThat(first.get().status()).isEqualTo(201);
    assertInvariants();
  }

  @Test
  void purchase_withoutKeyOrToken_400Or401() throws Exception {
    Reply noKey =
        http.post(
            "api/v1/apps/" + paidSlug + "/purchases", "", "Authorization", "Bearer " + token("x"));
    Reply noToken =
        http.post("api/v1/apps/" + paidSlug + "/purchases", "", "Idempotency-Key", key());
    Reply unknownApp = buy(token("x"), "no-such-app", key());

    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noToken.status()).isEqualTo(401);
    assertThat(unknownApp.status()).isEqualTo(404);
  }

  @Test
  void F20_signingFails_503RetryAfterVoidedNothingCharged() throws Exception {
    String token = token("unlucky-signer");
    String key = key();
    signer.unavailableFor(1);

    Reply reply = buy(token, paidSlug, key);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).contains("7");
    assertThat(reply.json().get("reason").asText()).isEqualTo("SIGNING_UNAVAILABLE");
    String id = reply.json().get("purchase_id").asText();
    assertThat(status(id)).isEqualTo("VOIDED");
    assertThat(chargesUnder(id)).isEmpty();
    // The stored answer, also of a failure; a new key buys.
    Reply again = buy(token, paidSlug, key);
    assertThat(again.status()).isEqualTo(503);
    assertThat(again.header("Idempotent-Replayed")).contains("true");
    assertThat(buy(token, paidSlug, key()).status()).isEqualTo(201);
    assertInvariants();
  }

  @Test
  void F19_paymentDeclined_402VoidedNothingCharged() throws Exception {
    fault("decline", "on", "");

    Reply reply = buy(token("declined"), paidSlug, key());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(402);
    assertThat(reply.json().has("receipt")).isFalse();
    String id = reply.json().get("purchase_id").asText();
    assertThat(status(id)).isEqualTo("VOIDED");
    assertThat(chargesUnder(id))
        .extracting(c -> c.get("status").asText())
        .containsExactly("declined");
    assertInvariants();
  }

  @Test
  void F19_gatewayDown_503VoidedNothingCharged() throws Exception {
    fault("down", "on", "");

    Reply reply = buy(token("gateway-down"), paidSlug, key());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isPresent();
    assertThat(reply.json().get("reason").asText()).isEqualTo("PAYMENT_UNAVAILABLE");
    String id = reply.json().get("purchase_id").asText();
    assertThat(status(id)).isEqualTo("VOIDED");
    heal();
    assertThat(chargesUnder(id)).isEmpty();
    assertInvariants();
  }

  @Test
  void purchase_gatewayTimeout_resolvedByLookup_201Completed() throws Exception {
    fault("timeout", "on", "?hold_ms=3000");

    Reply reply = buy(token("timed-out"), paidSlug, key());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    String id = reply.json().get("purchase_id").asText();
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(chargesUnder(id)).hasSize(1);
    assertInvariants();
  }

  @Test
  void purchase_gatewayLostResponse_resolvedByLookup_201Completed() throws Exception {
    fault("lost-response", "on", "");

    Reply reply = buy(token("lost-response"), paidSlug, key());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    String id = reply.json().get("purchase_id").asText();
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(chargesUnder(id)).hasSize(1);
    assertInvariants();
  }

  @Test
  void purchase_gatewayUnresolvable_202PendingWithReceiptLeftSigned() throws Exception {
    // Every call, lookups too, takes longer than the store's 1 s gateway timeout.
    fault("slow", "on", "?latency_ms=2500");
    String token = token("pending");
    String key = key();

    Reply reply = buy(token, paidSlug, key);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    assertThat(reply.json().get("status").asText()).isEqualTo("PENDING");
    assertThat(reply.json().get("receipt").asText()).isNotEmpty();
    String id = reply.json().get("purchase_id").asText();
    LEFT_FOR_RECONCILER.add(id);
    assertThat(status(id)).isEqualTo("SIGNED");
    assertThat(buy(token, paidSlug, key).status()).isEqualTo(202);
  }

  @Test
  void reconciler_chargeLandedAfterPendingAndStaleReservation_completedAndVoided()
      throws Exception {
    fault("slow", "on", "?latency_ms=2500");
    Reply pending = buy(token("late-charge"), paidSlug, key());
    assertThat(pending.status()).as(pending.toString()).isEqualTo(202);
    String id = pending.json().get("purchase_id").asText();
    heal();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (chargesUnder(id).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String stale = UUID.randomUUID().toString();
    primary.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO store.purchases (id, user_id, app_slug, price_amount,"
                        + " price_currency, status, created_at, updated_at) VALUES (CAST(:id AS"
                        + " uuid), 'ghost', :slug, 0.99, 'USD', 'RESERVED', now() - interval '1"
                        + " hour', now() - interval '1 hour')")
                .bind("id", stale)
                .bind("slug", paidSlug)
                .execute());

    Reply run = catalog.admin().post("tasks/reconcile", "");

    assertThat(run.status()).as(run.toString()).isEqualTo(200);
    assertThat(run.body()).contains(id).contains(stale);
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(status(stale)).isEqualTo("VOIDED");
    assertInvariants();
    Reply again = catalog.admin().post("tasks/reconcile", "");
    assertThat(again.json().get("findings")).isEmpty();
  }

  @Test
  void reconciler_idempotencyKeys_keptAtLeast24Hours() throws Exception {
    String token = token("key-keeper");
    String oldKey = key();
    String youngKey = key();
    buy(token, freeSlug, oldKey);
    buy(token, freeSlug, youngKey);
    primary.useHandle(
        h -> {
          h.createUpdate(
                  "UPDATE store.idempotency_keys SET created_at = now() - interval '25 hours'"
                      + " WHERE idempotency_key = :key")
              .bind("key", oldKey)
              .execute();
          h.createUpdate(
                  "UPDATE store.idempotency_keys SET created_at = now() - interval '23 hours'"
                      + " WHERE idempotency_key = :key")
              .bind("key", youngKey)
              .execute();
        });

    assertThat(catalog.admin().post("tasks/reconcile", "").status()).isEqualTo(200);

    assertThat(
            count(
                "SELECT count(*) FROM store.idempotency_keys WHERE idempotency_key = :id", oldKey))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM store.idempotency_keys WHERE idempotency_key = :id",
                youngKey))
        .isEqualTo(1);
    assertThat(buy(token, freeSlug, youngKey).header("Idempotent-Replayed")).contains("true");
  }

  @Test
  void F22_completionWriteFailsAfterCharge_journalledAnsweredReplayedAfterRestart()
      throws Exception {
    primary.useHandle(
        h -> {
          h.execute(
              "CREATE OR REPLACE FUNCTION store.fail_completion() RETURNS trigger AS $$ BEGIN IF"
                  + " NEW.status = 'COMPLETED' THEN RAISE EXCEPTION 'injected: completion write"
                  + " fails'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
          h.execute(
              "CREATE TRIGGER fail_completion BEFORE UPDATE ON store.purchases FOR EACH ROW"
                  + " EXECUTE FUNCTION store.fail_completion()");
        });
    String token = token("journalled");
    String key = key();

    Reply reply = buy(token, paidSlug, key);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    assertThat(reply.json().get("receipt").asText()).isNotEmpty();
    String id = reply.json().get("purchase_id").asText();
    assertThat(chargesUnder(id)).hasSize(1);
    assertThat(status(id)).isEqualTo("SIGNED"); // the receipt verifies `pending` meanwhile
    assertThat(Files.readString(journal)).contains(id);
    Thread.sleep(600); // replays keep failing while the write does
    assertThat(status(id)).isEqualTo("SIGNED");

    catalog.close();
    primary.useHandle(h -> h.execute("DROP TRIGGER fail_completion ON store.purchases"));
    startCatalog();

    awaitStatus(id, "COMPLETED");
    // The replay commits the completion first and rewrites the journal after it.
    awaitTrue("the journal rewritten", () -> !Files.readString(journal).contains(id));
    assertThat(
            count(
                "SELECT count(*) FROM store.journal_replays WHERE purchase_id = CAST(:id AS uuid)",
                id))
        .isEqualTo(1);
    Reply replayed = buy(token, paidSlug, key);
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.json().get("receipt")).isEqualTo(reply.json().get("receipt"));
    assertInvariants();
  }

  @Test
  void F21_F30_redownload_ownerGetsReceiptAgainOthers404() throws Exception {
    String owner = token("owner");
    Reply bought = buy(owner, paidSlug, key());
    String id = bought.json().get("purchase_id").asText();

    Reply again = http.get("api/v1/purchases/" + id, "Authorization", "Bearer " + owner);
    Reply stranger =
        http.get("api/v1/purchases/" + id, "Authorization", "Bearer " + token("stranger"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("receipt")).isEqualTo(bought.json().get("receipt"));
    assertThat(again.json().get("download_url").asText()).contains(paidSlug);
    assertThat(stranger.status()).isEqualTo(404);
  }

  @Test
  void F30_reissue_expiredReceipt_freshReceiptRecordedForThePurchase() throws Exception {
    String owner = token("reissuer");
    Reply bought = buy(owner, paidSlug, key());
    String id = bought.json().get("purchase_id").asText();
    String old = bought.json().get("receipt").asText();
    Reply notExpired =
        http.post(
            "api/v1/receipts/reissue",
            JSON.writeValueAsString(JSON.createObjectNode().put("receipt", old)));
    primary.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE store.purchase_receipts SET expires_at = now() - interval '1 day'"
                        + " WHERE purchase_id = CAST(:id AS uuid)")
                .bind("id", id)
                .execute());

    signer.unavailableFor(1);
    Reply signerDown =
        http.post(
            "api/v1/receipts/reissue",
            JSON.writeValueAsString(JSON.createObjectNode().put("receipt", old)));
    Reply reissued =
        http.post(
            "api/v1/receipts/reissue",
            JSON.writeValueAsString(JSON.createObjectNode().put("receipt", old)));
    Reply forged =
        http.post(
            "api/v1/receipts/reissue",
            JSON.writeValueAsString(
                JSON.createObjectNode()
                    .put("receipt", old.substring(0, old.length() - 4) + "AAAA")));

    assertThat(notExpired.status()).as(notExpired.toString()).isEqualTo(200);
    assertThat(notExpired.json().get("receipt").asText()).isEqualTo(old);
    assertThat(reissued.status()).as(reissued.toString()).isEqualTo(200);
    String fresh = reissued.json().get("receipt").asText();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(SignedJWT.parse(fresh).verify(new RSASSAVerifier(signer.publicKey()))).isTrue();
    assertThat(
            count(
                "SELECT count(*) FROM store.purchase_receipts WHERE purchase_id = CAST(:id AS uuid)",
                id))
        .isEqualTo(2);
    assertThat(signerDown.status()).isEqualTo(503);
    assertThat(signerDown.header("Retry-After")).isPresent();
    assertThat(forged.status()).isEqualTo(404);
    Reply again = http.get("api/v1/purchases/" + id, "Authorization", "Bearer " + owner);
    assertThat(again.json().get("receipt").asText()).isEqualTo(fresh);
  }

  @Test
  void refund_operator_refundedInStoreAndAtGateway() throws Exception {
    String buyer = token("refunded-buyer");
    String id = buy(buyer, paidSlug, key()).json().get("purchase_id").asText();

    Reply byBuyer =
        http.post("api/v1/purchases/" + id + "/refund", "", "Authorization", "Bearer " + buyer);
    String operator = idp.issue(TokenRequest.of("olga", Role.OPERATOR));
    Reply refund =
        http.post("api/v1/purchases/" + id + "/refund", "", "Authorization", "Bearer " + operator);
    Reply twice =
        http.post("api/v1/purchases/" + id + "/refund", "", "Authorization", "Bearer " + operator);

    assertThat(byBuyer.status()).isEqualTo(403);
    assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
    assertThat(twice.status()).isEqualTo(200);
    assertThat(status(id)).isEqualTo("REFUNDED");
    assertThat(chargesUnder(id))
        .extracting(c -> c.get("status").asText())
        .containsExactly("refunded");
    assertInvariants();
  }

  @Test
  void takeover_keyLeftUnansweredAfterCharge_409WhileRecentThenCompletedWithoutSecondCharge()
      throws Exception {
    String token = token("crashed-after-charge");
    String key = key();
    Reply first = buy(token, paidSlug, key);
    String id = first.json().get("purchase_id").asText();
    // What a process killed after the charge and before completing leaves behind.
    primary.useHandle(
        h -> {
          h.createUpdate(
                  "UPDATE store.purchases SET status = 'SIGNED', charge_id = NULL"
                      + " WHERE id = CAST(:id AS uuid)")
              .bind("id", id)
              .execute();
          h.createUpdate(
                  "UPDATE store.idempotency_keys SET response_status = NULL, response_body = NULL,"
                      + " answered_at = NULL, locked_at = now() WHERE idempotency_key = :key")
              .bind("key", key)
              .execute();
        });
    Reply whileRecent = buy(token, paidSlug, key);
    lockedAgo(key, "2 minutes");

    Reply takenOver = buy(token, paidSlug, key);
    Reply replayed = buy(token, paidSlug, key);

    assertThat(whileRecent.status()).as(whileRecent.toString()).isEqualTo(409);
    assertThat(takenOver.status()).as(takenOver.toString()).isEqualTo(201);
    assertThat(takenOver.json().get("purchase_id").asText()).isEqualTo(id);
    assertThat(takenOver.json().get("receipt")).isEqualTo(first.json().get("receipt"));
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(chargesUnder(id)).hasSize(1);
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.header("Idempotent-Replayed")).contains("true");
    assertInvariants();
  }

  @Test
  void takeover_keyLeftUnansweredBeforeSigning_retrySignsChargesOnceCompletes() throws Exception {
    String key = key();
    String id = abandonedReservation("crashed-before-signing", key, "RESERVED");

    Reply takenOver = buy(token("crashed-before-signing"), paidSlug, key);

    assertThat(takenOver.status()).as(takenOver.toString()).isEqualTo(201);
    assertThat(takenOver.json().get("purchase_id").asText()).isEqualTo(id);
    assertThat(status(id)).isEqualTo("COMPLETED");
    assertThat(receiptJti(id)).isNotEmpty();
    assertThat(chargesUnder(id)).hasSize(1);
    assertThat(catalog.metrics().counter("purchases.taken_over").getCount()).isPositive();
    assertInvariants();
  }

  @Test
  void takeover_purchaseVoidedByReconciler_503InterruptedNothingChargedAnswerKept()
      throws Exception {
    String key = key();
    String id = abandonedReservation("crashed-then-voided", key, "VOIDED");

    Reply takenOver = buy(token("crashed-then-voided"), paidSlug, key);
    Reply again = buy(token("crashed-then-voided"), paidSlug, key);

    assertThat(takenOver.status()).as(takenOver.toString()).isEqualTo(503);
    assertThat(takenOver.json().get("reason").asText()).isEqualTo("PURCHASE_INTERRUPTED");
    assertThat(takenOver.header("Retry-After")).isPresent();
    assertThat(status(id)).isEqualTo("VOIDED");
    assertThat(chargesUnder(id)).isEmpty();
    assertThat(again.status()).isEqualTo(503);
    assertThat(again.header("Idempotent-Replayed")).contains("true");
  }

  @Test
  void bulkhead_purchaseStormBeyondItsShare_503RetryAfterNothingReservedOrCharged()
      throws Exception {
    catalog.close();
    startCatalog(
        ConfigOverride.config("purchases.databaseBulkhead.maxConcurrent", "1"),
        ConfigOverride.config("purchases.databaseBulkhead.maxWait", "100ms"),
        ConfigOverride.config("purchases.databaseBulkhead.retryAfter", "7s"));
    String waiting = token("storm-first");
    CompletableFuture<Reply> first;
    Reply rejected;
    try (var lock = primary.open()) {
      // The first purchase holds the only permit, blocked on this lock inside its reservation.
      lock.begin();
      lock.execute("LOCK TABLE store.purchases IN EXCLUSIVE MODE");
      first = CompletableFuture.supplyAsync(() -> buy(waiting, paidSlug, key()));
      awaitReservationBlocked();

      rejected = buy(token("storm-second"), paidSlug, key());
      lock.rollback();
    }
    Reply firstReply = first.get();
    try {
      assertThat(rejected.status()).as(rejected.toString()).isEqualTo(503);
      assertThat(rejected.header("Retry-After")).contains("7");
      assertThat(rejected.json().get("reason").asText()).isEqualTo("PURCHASE_DB_BUSY");
      assertThat(count("SELECT count(*) FROM store.purchases WHERE user_id = :id", "storm-second"))
          .isZero();
      assertThat(firstReply.status()).as(firstReply.toString()).isEqualTo(201);
      assertThat(catalog.metrics().counter("bulkhead.purchase-db.rejected").getCount())
          .isPositive();
      assertInvariants();
    } finally {
      catalog.close();
      startCatalog();
    }
  }

  @Test
  void metrics_stuckSignedJournalAndReconciler_exportedUnderTheAlertsNames() throws Exception {
    String stuck = abandonedReservation("stuck-signed", key(), "SIGNED");
    primary.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE store.purchases SET updated_at = now() - interval '1 hour'"
                        + " WHERE id = CAST(:id AS uuid)")
                .bind("id", stuck)
                .execute());
    LEFT_FOR_RECONCILER.add(stuck);

    Object signedStale = catalog.metrics().getGauges().get("purchases.signed_stale").getValue();
    String exported = catalog.admin().get("metrics/prometheus").body();

    assertThat(((Number) signedStale).intValue()).isPositive();
    assertThat(exported)
        .contains("purchases_signed_stale ")
        .contains("purchases_journal_pending ")
        .contains("purchases_completed ")
        .contains("purchases_refunded ")
        .contains("reconciler_unresolved ")
        .contains("reconciler_unresolved_voided_but_charged ")
        .contains("reconciler_unresolved_charge_without_purchase ")
        .contains("reconciler_repaired_completed_charged ")
        .contains("reconciler_last_success_seconds ");
  }

  // --- helpers

  /**
   * A purchase of {@link #paidSlug} in {@code status} whose request reserved {@code key} for {@code
   * user} and never answered, two minutes ago (past the one-minute takeover bound); SIGNED ones
   * have a receipt (a stand-in's, signed for the purchase). Returns its id.
   */
  private static String abandonedReservation(String user, String key, String status)
      throws Exception {
    UUID id = UUID.randomUUID();
    String hash =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest((paidSlug + "\n{}").getBytes(StandardCharsets.UTF_8)));
    primary.useHandle(
        h -> {
          h.createUpdate(
                  "INSERT INTO store.purchases (id, user_id, app_slug, price_amount,"
                      + " price_currency, status, created_at, updated_at) SELECT :id, :user, slug,"
                      + " price_amount, price_currency, :status, now() - interval '2 minutes',"
                      + " now() - interval '2 minutes' FROM catalog.app WHERE slug = :slug")
              .bind("id", id)
              .bind("user", user)
              .bind("status", status)
              .bind("slug", paidSlug)
              .execute();
          h.createUpdate(
                  "INSERT INTO store.idempotency_keys (user_id, idempotency_key, request_hash,"
                      + " purchase_id, created_at, locked_at) VALUES (:user, :key, :hash, :id,"
                      + " now() - interval '2 minutes', now() - interval '2 minutes')")
              .bind("user", user)
              .bind("key", key)
              .bind("hash", hash)
              .bind("id", id)
              .execute();
          if (status.equals("SIGNED")) {
            h.createUpdate(
                    "INSERT INTO store.purchase_receipts (jti, purchase_id, kid, receipt,"
                        + " issued_at, expires_at) VALUES (:jti, :id, 'stand-in', 'a.b.c', now(),"
                        + " now() + interval '1 day')")
                .bind("jti", "jti-" + id)
                .bind("id", id)
                .execute();
          }
        });
    return id.toString();
  }

  private static void lockedAgo(String key, String interval) {
    primary.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE store.idempotency_keys SET locked_at = now() - CAST(:ago AS interval)"
                        + " WHERE idempotency_key = :key")
                .bind("ago", interval)
                .bind("key", key)
                .execute());
  }

  /** Until a reservation waits for the test's table lock (bounded; not a timing assertion). */
  private static void awaitReservationBlocked() throws Exception {
    awaitTrue(
        "the first purchase to reach its reservation",
        () ->
            count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE :id",
                    "INSERT INTO store.purchases%")
                > 0);
  }

  // --- helpers (requests and state)

  private static Reply buy(String token, String slug, String key) {
    return http.post(
        "api/v1/apps/" + slug + "/purchases",
        "",
        "Authorization",
        "Bearer " + token,
        "Idempotency-Key",
        key);
  }

  private static String token(String user) {
    return idp.issue(TokenRequest.of(user, Role.USER));
  }

  private static String key() {
    return "k-" + UUID.randomUUID();
  }

  private static String firstApp(String priceCondition) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT slug FROM catalog.app WHERE status = 'public' AND price_amount "
                        + priceCondition
                        + " ORDER BY id LIMIT 1")
                .mapTo(String.class)
                .one());
  }

  private static String status(String purchaseId) {
    return primary.withHandle(
        h ->
            h.createQuery("SELECT status FROM store.purchases WHERE id = CAST(:id AS uuid)")
                .bind("id", purchaseId)
                .mapTo(String.class)
                .one());
  }

  private static int count(String sql, String id) {
    Integer n =
        primary.withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(Integer.class).one());
    return n;
  }

  private static String receiptJti(String purchaseId) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT jti FROM store.purchase_receipts WHERE purchase_id = CAST(:id AS uuid)"
                        + " ORDER BY issued_at LIMIT 1")
                .bind("id", purchaseId)
                .mapTo(String.class)
                .one());
  }

  private static void awaitStatus(String id, String expected) throws Exception {
    awaitTrue("purchase " + id + " " + expected, () -> expected.equals(status(id)));
  }

  /** Polls for up to 15 s; fails naming what it waited for. */
  private static void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime() - deadline).as("waited 15 s for " + what).isNegative();
      Thread.sleep(100);
    }
  }

  private static void fault(String name, String onOff, String query) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(gateway.baseUri().resolve("/__faults__/" + name + query))
                .POST(HttpRequest.BodyPublishers.ofString(onOff))
                .build());
    assertThat(response.statusCode()).as(response.body()).isLessThan(300);
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return PLAIN.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static List<JsonNode> chargesUnder(String purchaseId) throws Exception {
    JsonNode list =
        JSON.readTree(
            send(HttpRequest.newBuilder(
                        gateway.baseUri().resolve("/v1/charges?idempotency_key=" + purchaseId))
                    .GET()
                    .build())
                .body());
    List<JsonNode> charges = new ArrayList<>();
    list.path("data").forEach(charges::add);
    return charges;
  }

  private static List<JsonNode> ledger() throws Exception {
    List<JsonNode> charges = new ArrayList<>();
    String after = null;
    while (true) {
      URI uri =
          gateway
              .baseUri()
              .resolve(
                  "/v1/charges?limit=1000" + (after == null ? "" : "&starting_after=" + after));
      JsonNode page = JSON.readTree(send(HttpRequest.newBuilder(uri).GET().build()).body());
      page.path("data").forEach(charges::add);
      if (!page.path("has_more").asBoolean() || charges.isEmpty()) {
        return charges;
      }
      after = charges.get(charges.size() - 1).get("id").asText();
    }
  }

  /**
   * Every charge that moved money has a COMPLETED or REFUNDED purchase with a receipt; no VOIDED
   * purchase has such a charge.
   */
  private static void assertInvariants() throws Exception {
    Set<String> charged = new HashSet<>();
    for (JsonNode charge : ledger()) {
      String status = charge.get("status").asText();
      String purchase = charge.get("idempotency_key").asText();
      if (LEFT_FOR_RECONCILER.contains(purchase)) {
        continue;
      }
      if (status.equals("succeeded") || status.equals("refunded")) {
        charged.add(purchase);
        assertThat(status(purchase)).as("purchase " + purchase).isIn("COMPLETED", "REFUNDED");
        assertThat(receiptJti(purchase)).isNotEmpty();
      }
    }
    List<String> voided =
        primary.withHandle(
            h ->
                h.createQuery("SELECT id::text FROM store.purchases WHERE status = 'VOIDED'")
                    .mapTo(String.class)
                    .list());
    assertThat(charged).as("charged purchases that are VOIDED").noneMatch(voided::contains);
  }
}
