package net.appstore.keys;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code keys.signing_key} row. Stateless, thread-safe. */
public final class RegisteredKeyMapper implements RowMapper<RegisteredKey> {

  @Override
  public RegisteredKey map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RegisteredKey(
        rs.getString("kid"),
        KeyPurpose.fromWireName(rs.getString("purpose")),
        rs.getString("alg"),
        KeyState.valueOf(rs.getString("state")),
        rs.getString("hsm_label"),
        rs.getString("public_jwk"),
        strings(rs.getArray("certificate_chain")),
        instant(rs, "not_before").orElseThrow(),
        instant(rs, "not_after").orElseThrow(),
        instant(rs, "created_at").orElseThrow(),
        instant(rs, "published_at"),
        instant(rs, "activated_at"),
        instant(rs, "retiring_at"),
        instant(rs, "retired_at"),
        instant(rs, "destroyed_at"));
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }

  static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return Optional.ofNullable(value).map(Timestamp::toInstant);
  }
}
