package net.appstore.catalog.testing;

import java.sql.SQLException;
import net.appstore.catalog.core.CatalogDataGenerator;
import net.appstore.catalog.db.CatalogMigrations;
import net.appstore.catalog.db.SeedWriter;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/** Schema and generated data in a test database, through the same code the commands run. */
public final class CatalogDatabases {

  /** Small enough for a fast test, big enough that listings page and search ranks. */
  public static final int APPS = 300;

  public static final int REVIEWS = 3000;
  public static final long SEED = 42;

  private CatalogDatabases() {}

  public static PGSimpleDataSource primaryDataSource(PostgresTestDatabase db) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(db.primaryJdbcUrl());
    ds.setUser(db.user());
    ds.setPassword(db.password());
    return ds;
  }

  public static Jdbi primary(PostgresTestDatabase db) {
    return Jdbi.create(primaryDataSource(db))
        .installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin());
  }

  public static Jdbi replica(PostgresTestDatabase db) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(db.replicaJdbcUrl());
    ds.setUser(db.user());
    ds.setPassword(db.password());
    return Jdbi.create(ds).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
  }

  /** Migrates, seeds {@link #APPS} apps and waits until the replica has everything. */
  public static void migrateAndSeed(PostgresTestDatabase db) {
    migrateAndSeed(db, APPS, REVIEWS, SEED);
  }

  public static void migrateAndSeed(PostgresTestDatabase db, int apps, int reviews, long seed) {
    CatalogMigrations.migrate(primaryDataSource(db));
    try {
      new SeedWriter(primary(db))
          .write(new CatalogDataGenerator(seed, apps, reviews).generate(), false);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    db.awaitReplicaCaughtUp();
  }
}
