package net.appstore.keys;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the key registry and issuance log migrations (plain SQL under {@code db/keys}). Run by an
 * operator command ({@code keytool db migrate}) and by the local stack, never silently when a
 * service starts. The history table lives in the {@code keys} schema so that other modules can keep
 * their own migrations in their own schemas.
 */
public final class RegistryMigrations {

  private RegistryMigrations() {}

  public static MigrateResult migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/keys")
        .schemas("keys", "audit")
        .table("flyway_schema_history")
        .load()
        .migrate();
  }
}
