package net.appstore.catalog.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the catalog schema (plain SQL under {@code db/catalog}) with its own Flyway history table
 * in the {@code catalog} schema, apart from the {@code keys}, {@code audit} and {@code store}
 * schemas other modules migrate. Run by the {@code db-migrate} command, never when the server
 * starts.
 */
public final class CatalogMigrations {

  public static final String SCHEMA = "catalog";

  private CatalogMigrations() {}

  public static MigrateResult migrate(DataSource primary) {
    return Flyway.configure()
        .dataSource(primary)
        .locations("classpath:db/catalog")
        .schemas(SCHEMA)
        .table("flyway_schema_history")
        .load()
        .migrate();
  }
}
