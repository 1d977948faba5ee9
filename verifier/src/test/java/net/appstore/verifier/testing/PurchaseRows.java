package net.appstore.verifier.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import net.appstore.testkit.pg.PostgresTestDatabase;

/**
 * Purchase rows as the purchase flow writes them, on the test database's primary. The schema is
 * catalog-lite's own migration, read from the source tree (Maven runs tests in the module
 * directory), so the verifier is tested against the schema the store really writes.
 */
public final class PurchaseRows {

  /** Owned by catalog-lite; the verifier only reads these tables. */
  public static final Path SCHEMA =
      Path.of("..", "catalog-lite", "src", "main", "resources", "db", "store", "V1__purchases.sql");

  /** Where the rows go: connections to the primary, and a wait for the replica to catch up. */
  public interface Servers {
    Connection openPrimary() throws SQLException;

    void awaitReplicaCaughtUp();
  }

  private final Servers database;

  private PurchaseRows(Servers database) {
    this.database = database;
  }

  /** Creates the store schema on the test database's primary; waits until the replica has it. */
  public static PurchaseRows install(PostgresTestDatabase database) {
    return install(
        new Servers() {
          @Override
          public Connection openPrimary() throws SQLException {
            return database.openPrimary();
          }

          @Override
          public void awaitReplicaCaughtUp() {
            database.awaitReplicaCaughtUp();
          }
        });
  }

  /** Creates the store schema on the primary and waits until the replica has it. */
  public static PurchaseRows install(Servers database) {
    try (Connection primary = database.openPrimary();
        Statement statement = primary.createStatement()) {
      statement.execute(Files.readString(SCHEMA, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCHEMA.toAbsolutePath(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the store schema", e);
    }
    database.awaitReplicaCaughtUp();
    return new PurchaseRows(database);
  }

  /** A purchase in {@code status} with one receipt {@code jti}, on the primary only (for now). */
  public UUID insert(String jti, String status) {
    try (Connection primary = database.openPrimary()) {
      return insert(primary, jti, status);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot insert purchase " + jti, e);
    }
  }

  /** One purchase in {@code status} per jti, on one connection; waits for the replica. */
  public void insertAllReplicated(Collection<String> jtis, String status) {
    try (Connection primary = database.openPrimary()) {
      for (String jti : jtis) {
        insert(primary, jti, status);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot insert purchases", e);
    }
    database.awaitReplicaCaughtUp();
  }

  private static UUID insert(Connection primary, String jti, String status) throws SQLException {
    UUID id = UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    try (PreparedStatement purchase =
        primary.prepareStatement(
            "INSERT INTO store.purchases (id, user_id, app_slug, price_amount, price_currency,"
                + " status, created_at, updated_at) VALUES (?, 'user-1', 'chess', 0.99, 'USD',"
                + " ?, ?, ?)")) {
      purchase.setObject(1, id);
      purchase.setString(2, status);
      purchase.setTimestamp(3, now);
      purchase.setTimestamp(4, now);
      purchase.executeUpdate();
    }
    try (PreparedStatement receipt =
        primary.prepareStatement(
            "INSERT INTO store.purchase_receipts (jti, purchase_id, kid, receipt, issued_at,"
                + " expires_at) VALUES (?, ?, 'kid', 'not stored in tests', ?, ?)")) {
      receipt.setString(1, jti);
      receipt.setObject(2, id);
      receipt.setTimestamp(3, now);
      receipt.setTimestamp(4, now);
      receipt.executeUpdate();
    }
    return id;
  }

  /** {@link #insert}, then waits until the replica has the rows. */
  public UUID insertReplicated(String jti, String status) {
    UUID id = insert(jti, status);
    database.awaitReplicaCaughtUp();
    return id;
  }

  /** Changes the status of the purchase behind {@code jti} (a refund, say), and waits for it. */
  public void setStatusReplicated(String jti, String status) {
    try (Connection primary = database.openPrimary();
        PreparedStatement update =
            primary.prepareStatement(
                "UPDATE store.purchases SET status = ?, updated_at = now() WHERE id ="
                    + " (SELECT purchase_id FROM store.purchase_receipts WHERE jti = ?)")) {
      update.setString(1, status);
      update.setString(2, jti);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no purchase for " + jti);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    database.awaitReplicaCaughtUp();
  }
}
