package net.appstore.catalog.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the store schema (purchases, receipts, idempotency keys, journal replay marks, refunds;
 * plain SQL under {@code db/store}) with its own Flyway history table in the {@code store} schema.
 * Run by the {@code db-migrate} command, never when the server starts.
 */
public final class StoreMigrations {

  public static final String SCHEMA = "store";

  private StoreMigrations() {}

  public static MigrateResult migrate(DataSource primary) {
    return Flyway.configure()
        .dataSource(primary)
        .locations("classpath:db/store")
        .schemas(SCHEMA)
        .table("flyway_schema_history")
        .load()
        .migrate();
  }
}
