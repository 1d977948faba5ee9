package net.appstore.catalog.core;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a temporary database failure (server down or restarting, connection lost, pool exhausted,
 * statement timeout, overload) from a permanent one (a query that can never work: a bug or a schema
 * mismatch). Temporary failures are answered with 503 and a retry; permanent ones are bugs that
 * must reach a person, so they are not disguised as unavailability.
 */
public final class DatabaseFailures {

  /** SQLSTATE classes that mean "try again later". */
  private static final Set<String> TEMPORARY_CLASSES =
      Set.of(
          "08", // connection exception
          "53", // insufficient resources
          "57", // operator intervention: shutdown, crash, cannot connect now, statement timeout
          "40", // transaction rollback: serialization failure, deadlock
          "55"); // object not in prerequisite state: lock not available

  /** Read-only transaction: a replica answered a write (failover in progress). */
  private static final Set<String> TEMPORARY_STATES = Set.of("25006");

  private DatabaseFailures() {}

  /** Whether {@code failure} or one of its causes is a temporary database failure. */
  public static boolean isTemporary(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state == null) {
          // Pool failures (no connection within the wait time, pool closed) carry no state.
          return true;
        }
        if (TEMPORARY_STATES.contains(state)
            || (state.length() >= 2 && TEMPORARY_CLASSES.contains(state.substring(0, 2)))) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
