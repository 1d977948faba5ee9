package net.appstore.testkit.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The shared cluster's per-class database, and the rules that protect classes sharing it. */
@PostgresTest
class SharedClusterTest {

  @Test
  void database_forTestClass_isFreshOnPrimaryAndReplica(PostgresTestDatabase db)
      throws SQLException {
    assertThat(db.name()).startsWith("t_sharedclustertest_");
    assertThat(db.primaryJdbcUrl()).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/" + db.name());
    try (Connection primary = db.openPrimary();
        Connection replica = db.openReplica()) {
      assertThat(userTables(primary)).isZero();
      assertThat(userTables(replica)).isZero();
      assertThat(replica.getCatalog()).isEqualTo(db.name());
    }
  }

  @Test
  void write_onReplica_isRejectedAsReadOnly(PostgresTestDatabase db) throws SQLException {
    try (Connection replica = db.openReplica();
        Statement statement = replica.createStatement()) {
      assertThatThrownBy(() -> statement.execute("CREATE TABLE t (x int)"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(e.getSQLState()).isEqualTo("25006")); // read_only_sql_transaction
    }
  }

  @Test
  void faultHelper_onSharedCluster_failsNamingDedicatedCluster(PostgresTestDatabase db) {
    assertThatThrownBy(db::stopReplica)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@PostgresTest(dedicatedCluster = true)");
  }

  @Test
  void faultHelper_onExternalServers_abortsTestAsAssumption(PostgresTestDatabase db)
      throws SQLException {
    Endpoints servers =
        PostgresExtension.externalServers(
                Map.of(
                    "PRIMARY_JDBC_URL", db.primaryJdbcUrl(),
                    "REPLICA_JDBC_URL", db.replicaJdbcUrl(),
                    "PGUSER", db.user(),
                    "PGPASSWORD", db.password()))
            .orElseThrow();
    try (PostgresTestDatabase external =
        PostgresTestDatabase.create(
            "t_external_probe", servers, PostgresTestDatabase.Source.EXTERNAL, null)) {
      assertThat(external.replicaJdbcUrl()).endsWith("/t_external_probe");
      assertThatThrownBy(external::pauseReplay)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("pauseReplay skipped")
          .hasMessageContaining("external servers");
    }
  }

  @Test
  void externalServers_withOnlyPrimaryUrl_failsNamingBothVariables() {
    assertThatThrownBy(
            () ->
                PostgresExtension.externalServers(
                    Map.of("PRIMARY_JDBC_URL", "jdbc:postgresql://db:5432/app")))
        .isInstanceOf(PostgresClusterException.class)
        .hasMessageContaining("PRIMARY_JDBC_URL")
        .hasMessageContaining("REPLICA_JDBC_URL");
  }

  @Test
  void externalServers_withNeitherUrl_areNotUsed() {
    assertThat(PostgresExtension.externalServers(Map.of())).isEmpty();
  }

  @Test
  void withDatabase_urlWithParameters_replacesOnlyTheDatabase() {
    assertThat(
            JdbcUrls.withDatabase(
                "jdbc:postgresql://a:1,b:2/app?user=u&password=p&sslmode=disable", "t_x"))
        .isEqualTo("jdbc:postgresql://a:1,b:2/t_x?user=u&password=p&sslmode=disable");
    assertThat(JdbcUrls.withDatabase("jdbc:postgresql://a:1?user=u", "t_x"))
        .isEqualTo("jdbc:postgresql://a:1/t_x?user=u");
  }

  private static int userTables(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT count(*) FROM pg_tables"
                    + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
      row.next();
      return row.getInt(1);
    }
  }
}
