package net.appstore.verifier.db;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Dropwizard's JDBI setup (SQL objects, Optional and enum mapping, a managed, instrumented pool),
 * without the connectivity health check {@link JdbiFactory#build} registers: the replica gets its
 * own check, which also measures lag, and the primary is only a fallback whose outage must not fail
 * the heartbeat.
 */
public final class PurchaseDatabases extends JdbiFactory {

  /**
   * One purchase database: its pool for the per-request lookup ({@link JdbcPurchaseRecords}), and
   * JDBI on the same pool for the rest (lag, health).
   */
  public record PurchaseDatabase(DataSource dataSource, Jdbi jdbi) {}

  public PurchaseDatabase open(Environment environment, DataSourceFactory config, String name) {
    ManagedDataSource dataSource = config.build(environment.metrics(), name);
    environment.lifecycle().manage(dataSource);
    Jdbi jdbi = newInstance(dataSource);
    configure(jdbi);
    return new PurchaseDatabase(dataSource, jdbi);
  }
}
