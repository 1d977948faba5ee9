package net.appstore.verifier.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import net.appstore.verifier.core.PurchaseLookupException;
import net.appstore.verifier.core.PurchaseRecords;
import net.appstore.verifier.core.PurchaseStatus;

/**
 * {@link PurchaseRecords} on one PostgreSQL server: one prepared statement on a pooled connection.
 *
 * <p>Plain JDBC rather than a JDBI SQL object because this is the verifier's only per-request
 * query, and JDBI's per-call handle, configuration copy and extension attach cost three times the
 * query itself (docs/BENCHMARKS.md, "Verifier"). The bounds are the pool's and the connection's, as
 * before: {@code maxWaitForConnection}, {@code connectTimeout}, {@code socketTimeout} and the
 * server-side {@code statement_timeout} from the database configuration.
 *
 * <p>Every failure (no connection, pool exhausted, statement timeout, broken connection, a status
 * this code does not know) is a {@link PurchaseLookupException}: the caller falls back or answers
 * 503. Thread-safe.
 */
public final class JdbcPurchaseRecords implements PurchaseRecords {

  /** A primary-key lookup on the store schema written by the purchase flow. */
  static final String STATUS_BY_JTI =
      "SELECT p.status FROM store.purchase_receipts r"
          + " JOIN store.purchases p ON p.id = r.purchase_id"
          + " WHERE r.jti = ?";

  private final DataSource dataSource;
  private final String server;

  /**
   * @param server "replica" or "primary", for messages
   */
  public JdbcPurchaseRecords(DataSource dataSource, String server) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.server = Objects.requireNonNull(server, "server");
  }

  @Override
  public Optional<PurchaseStatus> statusOf(String jti) throws PurchaseLookupException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(STATUS_BY_JTI)) {
      statement.setString(1, jti);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(status(rows.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new PurchaseLookupException("purchase " + server + " cannot be read", e);
    }
  }

  /** A status this code does not know is corrupt data to report, not a verdict to guess. */
  private PurchaseStatus status(String name) throws PurchaseLookupException {
    try {
      return PurchaseStatus.valueOf(name == null ? "" : name);
    } catch (IllegalArgumentException e) {
      throw new PurchaseLookupException(
          "purchase " + server + " holds a status the verifier does not know", e);
    }
  }

  @Override
  public String toString() {
    return "JdbcPurchaseRecords[" + server + "]";
  }
}
