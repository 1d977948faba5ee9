package net.appstore.catalog.health;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how far the replica lags behind the primary, for the staleness alert of F16 (update
 * checks and pages served from a replica that stopped replaying). Gauge {@code
 * database.replica.lag_seconds}: 0 when the replica has replayed all it received, otherwise the age
 * of the last replayed transaction; -1 when it cannot be measured (replica down).
 */
public final class ReplicaLagMonitor implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLagMonitor.class);
  private static final String LAG_QUERY =
      "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
          + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
          + " ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), -1) END";

  private final Jdbi replica;
  private final ScheduledExecutorService scheduler;
  private final Duration every;
  private volatile double lagSeconds = -1;

  public ReplicaLagMonitor(
      Jdbi replica, ScheduledExecutorService scheduler, Duration every, MetricRegistry metrics) {
    this.replica = replica;
    this.scheduler = scheduler;
    this.every = every;
    metrics.register("database.replica.lag_seconds", (Gauge<Double>) () -> lagSeconds);
  }

  @Override
  public void start() {
    scheduler.scheduleWithFixedDelay(this::measure, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  void measure() {
    try {
      lagSeconds = replica.withHandle(h -> h.createQuery(LAG_QUERY).mapTo(Double.class).one());
    } catch (RuntimeException e) {
      lagSeconds = -1;
      LOG.debug("replica lag not measurable: {}", e.toString());
    }
  }
}
