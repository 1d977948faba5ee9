package net.appstore.catalog.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** A primary-database connection pool for a command, closed when the command ends. */
final class DatabaseAccess implements AutoCloseable {

  private final ManagedDataSource dataSource;
  private final Jdbi jdbi;

  DatabaseAccess(DataSourceFactory factory, MetricRegistry metrics, String name) throws Exception {
    this.dataSource = factory.build(metrics, name);
    dataSource.start();
    this.jdbi =
        Jdbi.create(dataSource)
            .installPlugin(new SqlObjectPlugin())
            .installPlugin(new PostgresPlugin());
  }

  ManagedDataSource dataSource() {
    return dataSource;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() throws Exception {
    dataSource.stop();
  }
}
