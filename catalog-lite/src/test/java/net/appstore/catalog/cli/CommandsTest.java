package net.appstore.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.core.purchase.GatewayCharge;
import net.appstore.catalog.core.purchase.HttpPaymentGateway;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.devservices.payments.PaymentGatewayProcess;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator commands as the stack runs them: {@code db-migrate}, {@code seed} and {@code
 * reconcile} (against the simulated payment gateway as its own process).
 */
@PostgresTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsTest {

  private static PostgresTestDatabase database;
  private static Jdbi primary;
  private static PaymentGatewayProcess payments;
  private static HttpPaymentGateway gateway;

  @BeforeAll
  static void keep(PostgresTestDatabase db) throws Exception {
    database = db;
    primary = CatalogDatabases.primary(db);
    payments = PaymentGatewayProcess.start(Files.createTempDirectory("payments-"));
    gateway = new HttpPaymentGateway(payments.baseUri(), Duration.ofSeconds(3), new ObjectMapper());
  }

  @AfterAll
  static void stop() {
    payments.close();
  }

  @Test
  @Order(1)
  void dbMigrate_emptyDatabase_appliesSchemaThenNothingTwice() {
    Result first = run("db-migrate");
    Result second = run("db-migrate");

    assertThat(first.error()).as(first.stderr()).isEmpty();
    assertThat(first.stdout()).contains("1 migration(s) applied");
    assertThat(second.stdout()).contains("0 migration(s) applied");
    int tables =
        primary.withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM information_schema.tables"
                            + " WHERE table_schema = 'catalog'")
                    .mapTo(Integer.class)
                    .one());
    assertThat(tables).isGreaterThanOrEqualTo(10);
  }

  @Test
  @Order(2)
  void seed_emptyCatalog_generatesRequestedAppsDeterministically() {
    Result seeded = run("seed", "--apps", "150", "--reviews", "600", "--seed", "5");
    List<String> slugs = slugs();

    Result again = run("seed", "--apps", "150", "--reviews", "600", "--seed", "5", "--replace");

    assertThat(seeded.error()).as(seeded.stderr()).isEmpty();
    assertThat(seeded.stdout()).contains("seeded 150 apps").contains("600 reviews");
    assertThat(again.error()).isEmpty();
    assertThat(slugs()).hasSize(150).isEqualTo(slugs);
  }

  @Test
  @Order(3)
  void seed_catalogNotEmpty_refusedWithoutReplace_ifEmptyIsQuiet() {
    Result refused = run("seed", "--apps", "10");
    Result quiet = run("seed", "--apps", "10", "--if-empty");

    assertThat(refused.error()).isPresent();
    assertThat(refused.stderr()).contains("--replace");
    assertThat(quiet.error()).isEmpty();
    assertThat(quiet.stdout()).contains("not seeding");
    assertThat(slugs()).hasSize(150);
  }

  @Test
  @Order(4)
  void reconcile_chargedSignedAndStaleReserved_dryRunChangesNothingThenRepairsExit0()
      throws Exception {
    String charged = purchase("SIGNED");
    String stale = purchase("RESERVED");
    GatewayCharge charge = gateway.charge(charged, new BigDecimal("0.99"), "USD", charged);

    Result dry = run(payments(), "reconcile", "--dry-run");
    String statusesAfterDryRun = status(charged) + " " + status(stale);
    Result real = run(payments(), "reconcile");

    assertThat(dry.error()).as(dry.stderr()).isEmpty();
    assertThat(dry.stdout())
        .contains("dry run")
        .contains("compared 1 gateway charge(s)")
        .contains(
            "would repair  purchase " + charged + "  charge " + charge.id() + "  COMPLETED_CHARGED")
        .contains("would repair  purchase " + stale + "  charge -  VOIDED_STALE")
        .contains("0 unresolved");
    assertThat(statusesAfterDryRun).isEqualTo("SIGNED RESERVED");
    assertThat(real.error()).as(real.stderr()).isEmpty();
    assertThat(real.stdout())
        .contains("repaired  purchase " + charged + "  charge " + charge.id())
        .contains("repaired  purchase " + stale + "  charge -  VOIDED_STALE")
        .contains("2 repaired, 0 unresolved");
    assertThat(status(charged)).isEqualTo("COMPLETED");
    assertThat(status(stale)).isEqualTo("VOIDED");
  }

  @Test
  @Order(5)
  void reconcile_chargeWithoutPurchase_reportedAndExit2_dryRunToo() throws Exception {
    String unknown = UUID.randomUUID().toString();
    GatewayCharge charge = gateway.charge(unknown, new BigDecimal("4.99"), "USD", unknown);

    Result dry = run(payments(), "reconcile", "--dry-run");
    Result real = run(payments(), "reconcile");

    for (Result result : List.of(dry, real)) {
      assertThat(result.error()).isPresent();
      assertThat(ReconcileCommand.exitCode(result.error().get()))
          .isEqualTo(ReconcileCommand.UNRESOLVED)
          .isEqualTo(2);
      assertThat(result.stdout())
          .contains(
              "UNRESOLVED  purchase "
                  + unknown
                  + "  charge "
                  + charge.id()
                  + "  CHARGE_WITHOUT_PURCHASE")
          .contains("1 unresolved");
      assertThat(result.stderr()).contains("1 unresolved finding(s) need a person");
    }
  }

  @Test
  @Order(6)
  void reconcile_gatewayUnreachableOrUnset_exit1() {
    Result unreachable =
        run(Map.of("dw.purchases.paymentsUrl", "http://127.0.0.1:9/"), "reconcile");
    Result unset = run(Map.of(), "reconcile");

    assertThat(unreachable.error()).isPresent();
    assertThat(ReconcileCommand.exitCode(unreachable.error().get())).isEqualTo(1);
    assertThat(unreachable.stderr()).startsWith("reconcile: ");
    assertThat(unset.error()).isPresent();
    assertThat(ReconcileCommand.exitCode(unset.error().get())).isEqualTo(1);
    assertThat(unset.stderr()).contains("PAYMENTS_URL");
  }

  private static Map<String, String> payments() {
    return Map.of("dw.purchases.paymentsUrl", payments.baseUri().toString());
  }

  /** A paid purchase in {@code status}, untouched for an hour, with a receipt when SIGNED. */
  private static String purchase(String status) {
    UUID id = UUID.randomUUID();
    primary.useHandle(
        h -> {
          h.createUpdate(
                  "INSERT INTO store.purchases (id, user_id, app_slug, price_amount,"
                      + " price_currency, status, created_at, updated_at) VALUES (:id, 'cli-buyer',"
                      + " 'some-app', 0.99, 'USD', :status, now() - interval '1 hour',"
                      + " now() - interval '1 hour')")
              .bind("id", id)
              .bind("status", status)
              .execute();
          if (status.equals("SIGNED")) {
            h.createUpdate(
                    "INSERT INTO store.purchase_receipts (jti, purchase_id, kid, receipt,"
                        + " issued_at, expires_at) VALUES (:jti, :id, 'kid-1', 'a.b.c', now(),"
                        + " now() + interval '1 day')")
                .bind("jti", "jti-" + id)
                .bind("id", id)
                .execute();
          }
        });
    return id.toString();
  }

  private static String status(String purchaseId) {
    return primary.withHandle(
        h ->
            h.createQuery("SELECT status FROM store.purchases WHERE id = CAST(:id AS uuid)")
                .bind("id", purchaseId)
                .mapTo(String.class)
                .one());
  }

  private static List<String> slugs() {
    return primary.withHandle(
        h -> h.createQuery("SELECT slug FROM catalog.app ORDER BY id").mapTo(String.class).list());
  }

  private record Result(Optional<Throwable> error, String stdout, String stderr) {}

  private static Result run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs a command of the real application with the real config file, as the stack does. */
  private static Result run(Map<String, String> extra, String... args) {
    Map<String, String> overrides = new HashMap<>(extra);
    overrides.put("dw.primaryDatabase.url", database.primaryJdbcUrl());
    overrides.put("dw.primaryDatabase.user", database.user());
    overrides.put("dw.primaryDatabase.password", database.password());
    overrides.forEach(System::setProperty);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try {
      // Commands print their summary to System.out, as an operator sees it.
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CatalogApplication application = new CatalogApplication();
      Bootstrap<CatalogConfiguration> bootstrap = new Bootstrap<>(application);
      application.initialize(bootstrap);
      String[] full = new String[args.length + 1];
      System.arraycopy(args, 0, full, 0, args.length);
      full[args.length] = "config/catalog.yml";
      Optional<Throwable> error =
          new Cli(
                  new JarLocation(CatalogApplication.class),
                  bootstrap,
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8))
              .run(full);
      return new Result(
          error, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      overrides.keySet().forEach(System::clearProperty);
    }
  }
}
