package net.appstore.service.db;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, every few seconds, how stale reads from a streaming replica may be, for a gauge the
 * replica-lag alerts read (F16). The gauge is 0 when the replica has replayed everything it has
 * received, otherwise the age of the last transaction it replayed; -1 when that cannot be said (the
 * replica is down, or it has just started and neither streams yet nor has replayed a transaction).
 *
 * <p>Received-at-most-replayed counts as caught up, not only equality: a replica that has just
 * restarted reports its receive position from the start of the WAL segment it asked the primary
 * for, behind what it already replayed from its own WAL, and with an idle primary that lasts until
 * the next write (the gauge used to sit at -1 after every replica restart).
 */
public final class ReplicaLagMonitor implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLagMonitor.class);

  static final String LAG_QUERY =
      "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
          + " WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
          + " ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), -1) END";

  private final Jdbi replica;
  private final ScheduledExecutorService scheduler;
  private final Duration every;
  private volatile double lagSeconds = -1;

  /**
   * @param gauge the gauge's name in {@code metrics}, e.g. {@code verifier.replica.lag_seconds}
   */
  public ReplicaLagMonitor(
      Jdbi replica,
      ScheduledExecutorService scheduler,
      Duration every,
      MetricRegistry metrics,
      String gauge) {
    this.replica = Objects.requireNonNull(replica, "replica");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.every = Objects.requireNonNull(every, "every");
    metrics.register(gauge, (Gauge<Double>) () -> lagSeconds);
  }

  @Override
  public void start() {
    scheduler.scheduleWithFixedDelay(this::measure, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  /** The last measurement, as the gauge shows it. */
  public double lagSeconds() {
    return lagSeconds;
  }

  /** Measures now (the scheduler calls this every {@code every}). */
  public void measure() {
    try {
      lagSeconds = lagSeconds(replica);
    } catch (RuntimeException e) {
      lagSeconds = -1;
      LOG.debug("replica lag not measurable: {}", e.toString());
    }
  }

  /**
   * One measurement, as the gauge defines it, for a health check that needs it now: 0 caught up (or
   * a primary), seconds behind, or -1 when the server cannot say (just started, not streaming).
   *
   * @throws org.jdbi.v3.core.JdbiException when the server cannot be queried (2 s statement bound)
   */
  public static double lagSeconds(Jdbi server) {
    return server.withHandle(
        h -> h.createQuery(LAG_QUERY).setQueryTimeout(2).mapTo(Double.class).one());
  }
}
