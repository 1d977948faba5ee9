package net.appstore.service.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.DoublePredicate;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lag gauge against a real primary and streaming replica, stopped, paused and restarted. */
@PostgresTest(dedicatedCluster = true)
class ReplicaLagMonitorTest {

  private static final String GAUGE = "test.replica.lag_seconds";

  private final PostgresTestDatabase database;
  private final Jdbi primary;
  private final MetricRegistry metrics = new MetricRegistry();
  private final ReplicaLagMonitor monitor;

  ReplicaLagMonitorTest(PostgresTestDatabase database) {
    this.database = database;
    this.primary = Jdbi.create(database.primaryJdbcUrl(), database.user(), database.password());
    this.monitor =
        new ReplicaLagMonitor(
            Jdbi.create(database.replicaJdbcUrl(), database.user(), database.password()),
            Executors.newSingleThreadScheduledExecutor(),
            Duration.ofSeconds(1),
            metrics,
            GAUGE);
  }

  @BeforeEach
  void tableReplicated() {
    primary.useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS lag_probe (at timestamptz)"));
    database.awaitReplicaCaughtUp();
  }

  @AfterEach
  void restore() {
    database.restoreHealthy();
  }

  @Test
  void caughtUpReplicaIsZeroOnTheGauge() {
    monitor.measure();

    assertThat(monitor.lagSeconds()).isZero();
    assertThat(metrics.getGauges().get(GAUGE).getValue()).isEqualTo(0.0);
  }

  @Test
  void pausedReplayShowsTheAgeOfTheLastReplayedTransaction() throws InterruptedException {
    insertRow();
    database.awaitReplicaCaughtUp();
    database.pauseReplay();
    Thread.sleep(1_500);
    insertRow(); // received by the replica, not replayed

    awaitMeasured(lag -> lag >= 1.5, Duration.ofSeconds(10));

    database.resumeReplay();
    database.awaitReplicaCaughtUp();
    awaitMeasured(lag -> lag == 0, Duration.ofSeconds(10));
  }

  @Test
  void stoppedReplicaCannotBeMeasured() {
    database.stopReplica();

    monitor.measure();

    assertThat(monitor.lagSeconds()).isEqualTo(-1);
  }

  @Test
  void restartedReplicaOfAnIdlePrimaryIsCaughtUpAgain() throws InterruptedException {
    insertRow();
    database.awaitReplicaCaughtUp();
    database.stopReplica();
    database.startReplica(); // nothing written on the primary from here on

    awaitMeasured(lag -> lag == 0, Duration.ofSeconds(20));
  }

  @Test
  void aPrimaryIsNeverBehind() {
    ReplicaLagMonitor onPrimary =
        new ReplicaLagMonitor(
            primary,
            Executors.newSingleThreadScheduledExecutor(),
            Duration.ofSeconds(1),
            new MetricRegistry(),
            GAUGE);

    onPrimary.measure();

    assertThat(onPrimary.lagSeconds()).isZero();
  }

  private void insertRow() {
    primary.useHandle(h -> h.execute("INSERT INTO lag_probe VALUES (now())"));
  }

  /** Measures until the condition holds, failing with the last value after the limit. */
  private void awaitMeasured(DoublePredicate condition, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    do {
      monitor.measure();
      if (condition.test(monitor.lagSeconds())) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertThat(monitor.lagSeconds()).as("lag after " + limit).matches(condition::test);
  }
}
