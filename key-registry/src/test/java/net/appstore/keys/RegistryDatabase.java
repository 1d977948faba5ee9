package net.appstore.keys;

import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/** A migrated registry in a test's own database. */
public final class RegistryDatabase {

  private RegistryDatabase() {}

  public static Jdbi migrated(PostgresTestDatabase db) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.primaryJdbcUrl());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    RegistryMigrations.migrate(dataSource);
    return Jdbi.create(dataSource)
        .installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin());
  }
}
