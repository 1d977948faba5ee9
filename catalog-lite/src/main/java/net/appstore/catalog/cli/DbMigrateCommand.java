package net.appstore.catalog.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.db.CatalogMigrations;
import net.appstore.catalog.db.StoreMigrations;
import net.sourceforge.argparse4j.inf.Namespace;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code db-migrate CONFIG}: applies pending catalog and store migrations on the primary. */
public final class DbMigrateCommand extends ConfiguredCommand<CatalogConfiguration> {

  public DbMigrateCommand() {
    super(
        "db-migrate", "Apply pending catalog and store schema migrations on the primary database");
  }

  @Override
  protected void run(
      Bootstrap<CatalogConfiguration> bootstrap,
      Namespace namespace,
      CatalogConfiguration configuration)
      throws Exception {
    try (DatabaseAccess db =
        new DatabaseAccess(
            configuration.getPrimaryDatabase(), bootstrap.getMetricRegistry(), "migrate")) {
      MigrateResult result = CatalogMigrations.migrate(db.dataSource());
      System.out.println(
          "catalog schema at version "
              + (result.targetSchemaVersion != null
                  ? result.targetSchemaVersion
                  : result.initialSchemaVersion)
              + " ("
              + result.migrationsExecuted
              + " migration(s) applied)");
      MigrateResult store = StoreMigrations.migrate(db.dataSource());
      System.out.println(
          "store schema at version "
              + (store.targetSchemaVersion != null
                  ? store.targetSchemaVersion
                  : store.initialSchemaVersion)
              + " ("
              + store.migrationsExecuted
              + " migration(s) applied)");
    }
  }
}
