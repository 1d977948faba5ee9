package net.appstore.signer.db;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The idempotency lookup of every receipt request, alone in its SQL object: Jdbi prepares every
 * method of a SQL object each time one is attached, so the request path attaches only the one it
 * calls (docs/BENCHMARKS.md, "Signer").
 */
@RegisterRowMapper(ReceiptDao.StoredReceiptMapper.class)
public interface ReceiptLookupDao {

  @SqlQuery("SELECT " + ReceiptDao.COLUMNS + " FROM signer.receipt WHERE purchase_id = :purchaseId")
  Optional<StoredReceipt> findByPurchaseId(@Bind("purchaseId") String purchaseId);
}
