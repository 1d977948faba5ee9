package net.appstore.keytool.keys;

import javax.sql.DataSource;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.KeytoolConfig;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The key registry on the primary database, for one keytool run: a plain data source (no pool; a
 * command uses one or two connections) that fails fast when the server is down. Thread-safe.
 */
public final class Registry {

  /** Connecting to a stopped server fails at once; an unreachable one within this bound. */
  private static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** A hung server must not hang an operator's terminal or a cron job forever. */
  private static final int SOCKET_TIMEOUT_SECONDS = 120;

  private final PGSimpleDataSource dataSource;
  private final Jdbi jdbi;

  private Registry(PGSimpleDataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi =
        Jdbi.create(dataSource)
            .installPlugin(new SqlObjectPlugin())
            .installPlugin(new PostgresPlugin());
  }

  /**
   * @throws KeytoolException (usage) when no database is configured
   */
  public static Registry connect(KeytoolConfig config) throws KeytoolException {
    String url =
        config
            .jdbcUrl()
            .orElseThrow(
                () ->
                    KeytoolException.usage(
                        "no registry database: set PRIMARY_JDBC_URL or db.url in the"
                            + " configuration file"));
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    try {
      dataSource.setUrl(url);
    } catch (IllegalArgumentException e) {
      throw KeytoolException.usage("not a PostgreSQL JDBC URL: " + e.getMessage());
    }
    config.dbUser().ifPresent(dataSource::setUser);
    config.dbPassword().ifPresent(dataSource::setPassword);
    dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
    dataSource.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
    dataSource.setApplicationName("keytool");
    return new Registry(dataSource);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /** Reads in one handle (autocommit). */
  public <T> T read(Work<T> work) throws Exception {
    return jdbi.withHandle(handle -> work.run(handle, handle.attach(KeyRegistryDao.class)));
  }

  /** Work on one handle and the registry's data access bound to it. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle handle, KeyRegistryDao dao) throws Exception;
  }
}
