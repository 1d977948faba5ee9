package net.appstore.verifier.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.verifier.core.PurchaseLookupException;
import net.appstore.verifier.core.PurchaseStatus;
import net.appstore.verifier.testing.PurchaseRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The per-request purchase lookup against real PostgreSQL, replica and primary. Lag and outages as
 * the service sees them are ReplicaFailuresTest's.
 */
@PostgresTest
class JdbcPurchaseRecordsTest {

  private static PostgresTestDatabase database;
  private static PurchaseRows purchases;

  @BeforeAll
  static void install(PostgresTestDatabase db) {
    database = db;
    purchases = PurchaseRows.install(db);
  }

  private static JdbcPurchaseRecords on(String url) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    dataSource.setConnectTimeout(1);
    return new JdbcPurchaseRecords(dataSource, "replica");
  }

  private static String jti() {
    return UUID.randomUUID().toString();
  }

  @Test
  void statusOf_everyStatusOnTheReplica_readAsWritten() throws PurchaseLookupException {
    JdbcPurchaseRecords replica = on(database.replicaJdbcUrl());
    for (PurchaseStatus status : PurchaseStatus.values()) {
      String jti = jti();
      purchases.insertReplicated(jti, status.name());

      assertThat(replica.statusOf(jti)).contains(status);
    }
  }

  @Test
  void statusOf_unknownJti_empty() throws PurchaseLookupException {
    assertThat(on(database.replicaJdbcUrl()).statusOf(jti())).isEmpty();
  }

  @Test
  void statusOf_jtiWithSqlCharacters_boundNotInterpreted() throws PurchaseLookupException {
    String jti = "x' OR '1'='1";
    purchases.insertReplicated(jti + "-other", "COMPLETED");

    assertThat(on(database.replicaJdbcUrl()).statusOf(jti)).isEmpty();
  }

  @Test
  void statusOf_onThePrimary_readAsWritten() throws PurchaseLookupException {
    String jti = jti();
    purchases.insert(jti, "REFUNDED");

    assertThat(on(database.primaryJdbcUrl()).statusOf(jti)).contains(PurchaseStatus.REFUNDED);
  }

  @Test
  void statusOf_statusTheVerifierDoesNotKnow_lookupFailsRatherThanGuessing() throws SQLException {
    String jti = jti();
    try (Connection primary = database.openPrimary();
        Statement statement = primary.createStatement()) {
      statement.execute("ALTER TABLE store.purchases DROP CONSTRAINT purchases_status_check");
      purchases.insert(jti, "LOST");
      statement.execute(
          "ALTER TABLE store.purchases ADD CONSTRAINT purchases_status_check CHECK (status IN"
              + " ('RESERVED', 'SIGNED', 'COMPLETED', 'VOIDED', 'REFUNDED')) NOT VALID");
    }

    assertThatThrownBy(() -> on(database.primaryJdbcUrl()).statusOf(jti))
        .isInstanceOf(PurchaseLookupException.class)
        .hasMessageContaining("does not know");
  }

  @Test
  void statusOf_serverUnreachable_lookupException() {
    assertThatThrownBy(() -> on("jdbc:postgresql://127.0.0.1:1/nothing").statusOf(jti()))
        .isInstanceOf(PurchaseLookupException.class)
        .hasMessageContaining("purchase replica cannot be read")
        .hasCauseInstanceOf(SQLException.class);
  }
}
