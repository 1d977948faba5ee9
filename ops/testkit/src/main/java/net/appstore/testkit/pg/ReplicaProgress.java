package net.appstore.testkit.pg;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Replication progress and replay control through SQL only, so it works the same on a cluster of
 * the test kit and on external servers.
 */
final class ReplicaProgress {
  private static final long POLL_MILLIS = 10;

  private ReplicaProgress() {}

  /** Waits until the replica has replayed the primary's WAL position as of this call. */
  static void awaitCaughtUp(Endpoints endpoints, Duration timeout) {
    String target = primaryLsn(endpoints);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection replica = endpoints.openReplica();
        PreparedStatement replayed =
            replica.prepareStatement(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                    + " pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
      replayed.setString(1, target);
      while (true) {
        try (ResultSet row = replayed.executeQuery()) {
          row.next();
          if (!row.getBoolean(1)) {
            throw new PostgresClusterException(
                "server at " + endpoints.replicaUrl() + " is not a replica (not in recovery)");
          }
          if (row.getBoolean(3)) {
            return;
          }
          if (System.nanoTime() > deadline) {
            throw new PostgresClusterException(
                "replica did not replay up to the primary's WAL position "
                    + target
                    + " within "
                    + timeout
                    + "; it is at "
                    + row.getString(2)
                    + ", replay state: "
                    + replayState(replica));
          }
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (SQLException e) {
      throw unreachable("replica", endpoints.replicaUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresClusterException("interrupted while waiting for the replica", e);
    }
  }

  /** Measures the replica's replay lag against the primary's current WAL position. */
  static ReplicationLag lag(Endpoints endpoints) {
    String primaryLsn = primaryLsn(endpoints);
    try (Connection replica = endpoints.openReplica();
        PreparedStatement statement =
            replica.prepareStatement(
                "SELECT greatest(0, pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn()))::bigint,"
                    + " extract(epoch FROM now() - coalesce(pg_last_xact_replay_timestamp(),"
                    + " pg_postmaster_start_time()))")) {
      statement.setString(1, primaryLsn);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        long bytes = row.getLong(1);
        BigDecimal seconds = row.getBigDecimal(2);
        return new ReplicationLag(
            bytes,
            bytes == 0 ? Duration.ZERO : Duration.ofMillis(seconds.movePointRight(3).longValue()));
      }
    } catch (SQLException e) {
      throw unreachable("replica", endpoints.replicaUrl(), e);
    }
  }

  /** Pauses WAL replay on the replica: once this returns, no further WAL record is applied. */
  static void pauseReplay(Endpoints endpoints) {
    onReplica(endpoints, "SELECT pg_wal_replay_pause()");
  }

  static void resumeReplay(Endpoints endpoints) {
    onReplica(endpoints, "SELECT pg_wal_replay_resume()");
  }

  /**
   * Waits until the primary reports {@code applicationName} as streaming and the replica answers a
   * read query; connection failures count as "not yet" because both servers may still be starting.
   */
  static void awaitStreaming(Endpoints endpoints, String applicationName, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "";
    while (System.nanoTime() < deadline) {
      try (Connection primary = endpoints.openPrimary();
          PreparedStatement streaming =
              primary.prepareStatement(
                  "SELECT count(*) FROM pg_stat_replication"
                      + " WHERE application_name = ? AND state = 'streaming'")) {
        streaming.setString(1, applicationName);
        try (ResultSet row = streaming.executeQuery()) {
          row.next();
          if (row.getInt(1) > 0 && replicaAnswersReads(endpoints)) {
            return;
          }
          lastProblem = "replica '" + applicationName + "' not streaming yet";
        }
      } catch (SQLException e) {
        lastProblem = e.getMessage();
      }
      sleepQuietly();
    }
    throw new PostgresClusterException(
        "replica did not start streaming from the primary within "
            + timeout
            + " (last seen: "
            + lastProblem
            + ")");
  }

  private static boolean replicaAnswersReads(Endpoints endpoints) throws SQLException {
    try (Connection replica = endpoints.openReplica();
        Statement statement = replica.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
      return row.next() && row.getBoolean(1);
    }
  }

  private static String primaryLsn(Endpoints endpoints) {
    try (Connection primary = endpoints.openPrimary();
        Statement statement = primary.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      row.next();
      return row.getString(1);
    } catch (SQLException e) {
      throw unreachable("primary", endpoints.primaryUrl(), e);
    }
  }

  private static String replayState(Connection replica) throws SQLException {
    try (Statement statement = replica.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_get_wal_replay_pause_state()")) {
      row.next();
      String state = row.getString(1);
      return state.equals("not paused") ? state : state + " (resume replay to catch up)";
    }
  }

  private static void onReplica(Endpoints endpoints, String sql) {
    try (Connection replica = endpoints.openReplica();
        Statement statement = replica.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw unreachable("replica", endpoints.replicaUrl(), e);
    }
  }

  private static PostgresClusterException unreachable(String role, String url, SQLException e) {
    return new PostgresClusterException(
        "could not query the " + role + " at " + url + ": " + e.getMessage(), e);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(POLL_MILLIS * 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresClusterException("interrupted while waiting for replication", e);
    }
  }
}
