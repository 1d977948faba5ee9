package net.appstore.signer.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Writes to {@code signer.receipt}, and its row mapper. Reads are {@link ReceiptLookupDao}'s: each
 * attach prepares every method of the object, so the hot paths keep their objects small.
 */
public interface ReceiptDao {

  String COLUMNS =
      "purchase_id, jti, request_sha256, caller, iss, typ, kid, price_amount::text AS price_amount,"
          + " price_currency, nbf, issued_at, expires_at, token";

  String INSERT_IF_ABSENT =
      "INSERT INTO signer.receipt (purchase_id, jti, request_sha256, caller, iss, typ, kid,"
          + " price_amount, price_currency, nbf, issued_at, expires_at, token) VALUES"
          + " (:purchaseId, :jti, :requestSha256, :caller, :iss, :typ, :kid,"
          + " CAST(:priceAmount AS numeric), :priceCurrency, :nbf, :issuedAt, :expiresAt, :token)"
          + " ON CONFLICT (purchase_id) DO NOTHING";

  /**
   * Inserts the receipt unless its purchase already has one.
   *
   * @return 1 if inserted, 0 if the purchase id was taken (by a concurrent request)
   */
  @SqlUpdate(INSERT_IF_ABSENT)
  int insertIfAbsent(
      @Bind("purchaseId") String purchaseId,
      @Bind("jti") String jti,
      @Bind("requestSha256") byte[] requestSha256,
      @Bind("caller") String caller,
      @Bind("iss") String iss,
      @Bind("typ") String typ,
      @Bind("kid") String kid,
      @Bind("priceAmount") String priceAmount,
      @Bind("priceCurrency") String priceCurrency,
      @Bind("nbf") Timestamp nbf,
      @Bind("issuedAt") Timestamp issuedAt,
      @Bind("expiresAt") Timestamp expiresAt,
      @Bind("token") String token);

  default boolean insertIfAbsent(StoredReceipt r) {
    return insertIfAbsent(
            r.purchaseId(),
            r.jti(),
            r.requestSha256(),
            r.caller(),
            r.iss(),
            r.typ(),
            r.kid(),
            r.priceAmount(),
            r.priceCurrency(),
            Timestamp.from(r.nbf()),
            Timestamp.from(r.issuedAt()),
            Timestamp.from(r.expiresAt()),
            r.token())
        == 1;
  }

  /**
   * Inserts each receipt unless its purchase already has one, as one JDBC batch (one round trip for
   * the lot).
   *
   * @return per receipt, in order: 1 if inserted, 0 if the purchase id was taken
   */
  @SqlBatch(INSERT_IF_ABSENT)
  int[] insertAllIfAbsent(@BindMethods List<StoredReceipt> receipts);

  /** Maps a {@code signer.receipt} row. Stateless, thread-safe. */
  final class StoredReceiptMapper implements RowMapper<StoredReceipt> {
    @Override
    public StoredReceipt map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new StoredReceipt(
          rs.getString("purchase_id"),
          rs.getString("jti"),
          rs.getBytes("request_sha256"),
          rs.getString("caller"),
          rs.getString("iss"),
          rs.getString("typ"),
          rs.getString("kid"),
          rs.getString("price_amount"),
          rs.getString("price_currency"),
          rs.getTimestamp("nbf").toInstant(),
          rs.getTimestamp("issued_at").toInstant(),
          rs.getTimestamp("expires_at").toInstant(),
          rs.getString("token"));
    }
  }
}
