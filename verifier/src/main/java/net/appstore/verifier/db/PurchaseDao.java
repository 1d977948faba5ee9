package net.appstore.verifier.db;

import org.jdbi.v3.sqlobject.customizer.QueryTimeOut;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The verifier's monitoring query on a purchase database. Read-only. The per-request purchase
 * lookup is {@link JdbcPurchaseRecords}, plain JDBC for its cost.
 */
public interface PurchaseDao {

  /**
   * How far the server's data lags behind the primary, in seconds: 0 on a primary and on a replica
   * that has replayed everything it received, else the age of the last replayed transaction.
   */
  @QueryTimeOut(2)
  @SqlQuery(
      "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
          + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
          + " ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END")
  double lagSeconds();
}
