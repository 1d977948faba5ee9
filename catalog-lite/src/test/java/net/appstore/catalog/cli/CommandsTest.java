package net.appstore.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.testing.CatalogDatabases;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The operator commands as the stack runs them: {@code db-migrate} and {@code seed}. */
@PostgresTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsTest {

  private static PostgresTestDatabase database;
  private static Jdbi primary;

  @BeforeAll
  static void keep(PostgresTestDatabase db) {
    database = db;
    primary = CatalogDatabases.primary(db);
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

  private static List<String> slugs() {
    return primary.withHandle(
        h -> h.createQuery("SELECT slug FROM catalog.app ORDER BY id").mapTo(String.class).list());
  }

  private record Result(Optional<Throwable> error, String stdout, String stderr) {}

  /** Runs a command of the real application with the real config file, as the stack does. */
  private static Result run(String... args) {
    Map<String, String> overrides =
        Map.of(
            "dw.primaryDatabase.url", database.primaryJdbcUrl(),
            "dw.primaryDatabase.user", database.user(),
            "dw.primaryDatabase.password", database.password());
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
