package net.appstore.verifier.db;

import java.util.Optional;
import net.appstore.verifier.core.PurchaseStatus;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.QueryTimeOut;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The verifier's only queries, on the store schema written by the purchase flow (catalog-lite's
 * {@code db/store/V1__purchases.sql}). Read-only; used on the replica and, as a fallback, the
 * primary.
 */
public interface PurchaseDao {

  /** The status of the purchase the receipt {@code jti} belongs to; a primary-key lookup. */
  @SqlQuery(
      "SELECT p.status FROM store.purchase_receipts r"
          + " JOIN store.purchases p ON p.id = r.purchase_id"
          + " WHERE r.jti = :jti")
  Optional<PurchaseStatus> statusOf(@Bind("jti") String jti);

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
