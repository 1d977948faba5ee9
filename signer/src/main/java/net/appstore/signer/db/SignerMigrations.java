package net.appstore.signer.db;

import javax.sql.DataSource;
import net.appstore.keys.RegistryMigrations;
import org.flywaydb.core.Flyway;

/**
 * The signer's schema migrations: the key registry and issuance log (owned by key-registry, history
 * in {@code keys}), then the signer's own {@code signer} schema (plain SQL under {@code db/signer},
 * history in {@code signer.flyway_schema_history}). Run by the {@code db-migrate} command, never
 * when the service starts. Idempotent.
 */
public final class SignerMigrations {

  private SignerMigrations() {}

  /** Applies every pending migration; returns how many ran. */
  public static int migrate(DataSource dataSource) {
    int applied = RegistryMigrations.migrate(dataSource).migrationsExecuted;
    applied +=
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/signer")
            .schemas("signer")
            .table("flyway_schema_history")
            .load()
            .migrate()
            .migrationsExecuted;
    return applied;
  }
}
