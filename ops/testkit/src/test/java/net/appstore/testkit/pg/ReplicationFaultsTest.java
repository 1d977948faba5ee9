package net.appstore.testkit.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real replication behaviour of a dedicated primary + replica, including injected faults. */
@PostgresTest(dedicatedCluster = true)
class ReplicationFaultsTest {
  private final PostgresTestDatabase db;

  ReplicationFaultsTest(PostgresTestDatabase db) {
    this.db = db;
  }

  @BeforeAll
  static void createTable(PostgresTestDatabase db) throws SQLException {
    try (Connection primary = db.openPrimary();
        Statement statement = primary.createStatement()) {
      statement.execute("CREATE TABLE purchase (id text PRIMARY KEY)");
    }
  }

  @AfterEach
  void restore() {
    db.restoreHealthy();
  }

  @Test
  void insert_onPrimary_appearsOnReplica() throws SQLException {
    insertOnPrimary("p-1");

    db.awaitReplicaCaughtUp();

    assertThat(existsOnReplica("p-1")).isTrue();
    assertThat(db.replicationLag().caughtUp()).isTrue();
  }

  @Test
  void replica_afterStart_streamsThroughItsReplicationSlot() throws SQLException {
    try (Connection primary = db.openPrimary();
        Statement statement = primary.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT r.state, s.active FROM pg_stat_replication r"
                    + " JOIN pg_replication_slots s ON s.active_pid = r.pid")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo("streaming");
      assertThat(row.getBoolean(2)).isTrue();
    }
  }

  @Test
  void insert_whileReplayPaused_appearsOnlyAfterResume() throws Exception {
    db.pauseReplay();
    insertOnPrimary("p-2");
    Thread.sleep(300); // ample time to stream and, were replay running, apply it

    assertThat(existsOnReplica("p-2")).isFalse();
    assertThat(db.replicationLag().bytes()).isPositive();

    db.resumeReplay();
    db.awaitReplicaCaughtUp();
    assertThat(existsOnReplica("p-2")).isTrue();
  }

  @Test
  void awaitReplicaCaughtUp_whileReplayPaused_timesOutNamingThePause() throws SQLException {
    db.pauseReplay();
    insertOnPrimary("p-3");

    assertThatThrownBy(() -> db.awaitReplicaCaughtUp(Duration.ofMillis(300)))
        .isInstanceOf(PostgresClusterException.class)
        .hasMessageContaining("replay state: pause"); // "paused" or "pause requested"
  }

  @Test
  void replica_stoppedThenStarted_refusesConnectionsThenCatchesUp() throws SQLException {
    db.stopReplica();
    insertOnPrimary("p-4");

    assertThatThrownBy(db::openReplica)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Connection to 127.0.0.1")
        .hasMessageContaining("refused");

    db.startReplica();
    db.awaitReplicaCaughtUp();
    assertThat(existsOnReplica("p-4")).isTrue();
  }

  @Test
  void primary_stoppedThenStarted_replicaServesReadsThenStreamsAgain() throws SQLException {
    insertOnPrimary("p-5");
    db.awaitReplicaCaughtUp();

    db.stopPrimary();
    assertThatThrownBy(db::openPrimary).isInstanceOf(SQLException.class);
    assertThat(existsOnReplica("p-5")).isTrue();

    db.startPrimary();
    insertOnPrimary("p-6");
    db.awaitReplicaCaughtUp();
    assertThat(existsOnReplica("p-6")).isTrue();
  }

  private void insertOnPrimary(String id) throws SQLException {
    try (Connection primary = db.openPrimary();
        PreparedStatement insert = primary.prepareStatement("INSERT INTO purchase VALUES (?)")) {
      insert.setString(1, id);
      insert.executeUpdate();
    }
  }

  private boolean existsOnReplica(String id) throws SQLException {
    try (Connection replica = db.openReplica();
        PreparedStatement select =
            replica.prepareStatement("SELECT count(*) FROM purchase WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getInt(1) == 1;
      }
    }
  }
}
