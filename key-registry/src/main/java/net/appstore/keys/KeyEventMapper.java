package net.appstore.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code keys.key_event} row. Stateless, thread-safe. */
public final class KeyEventMapper implements RowMapper<KeyEvent> {

  @Override
  public KeyEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new KeyEvent(
        rs.getString("kid"),
        Optional.ofNullable(rs.getString("from_state")).map(KeyState::valueOf),
        KeyState.valueOf(rs.getString("to_state")),
        RegisteredKeyMapper.instant(rs, "at").orElseThrow(),
        rs.getString("actor"),
        rs.getBoolean("forced"),
        Optional.ofNullable(rs.getString("note")));
  }
}
