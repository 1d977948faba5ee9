package net.appstore.verifier.db;

import java.util.Optional;
import net.appstore.verifier.core.PurchaseLookupException;
import net.appstore.verifier.core.PurchaseRecords;
import net.appstore.verifier.core.PurchaseStatus;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link PurchaseRecords} on one PostgreSQL server through JDBI. Every JDBI failure (no connection,
 * statement timeout, broken connection) is a {@link PurchaseLookupException}: the caller falls back
 * or answers 503. Thread-safe.
 */
public final class JdbiPurchaseRecords implements PurchaseRecords {

  private final Jdbi jdbi;
  private final String server;

  /**
   * @param server "replica" or "primary", for messages
   */
  public JdbiPurchaseRecords(Jdbi jdbi, String server) {
    this.jdbi = jdbi;
    this.server = server;
  }

  @Override
  public Optional<PurchaseStatus> statusOf(String jti) throws PurchaseLookupException {
    try {
      return jdbi.withExtension(PurchaseDao.class, dao -> dao.statusOf(jti));
    } catch (JdbiException e) {
      throw new PurchaseLookupException("purchase " + server + " cannot be read", e);
    }
  }

  @Override
  public String toString() {
    return "JdbiPurchaseRecords[" + server + "]";
  }
}
