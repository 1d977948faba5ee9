package net.appstore.verifier.health;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.appstore.verifier.db.PurchaseDao;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Measures the purchase replica's replay lag every few seconds for the gauge {@code
 * verifier.replica.lag_seconds}: 0 when caught up, the age of the last replayed transaction when
 * behind, -1 when it cannot be measured (replica down).
 */
public final class ReplicaLagMonitor implements Managed {

  private final Jdbi replica;
  private final ScheduledExecutorService scheduler;
  private final Duration every;
  private volatile double lagSeconds = -1;

  public ReplicaLagMonitor(
      Jdbi replica, ScheduledExecutorService scheduler, Duration every, MetricRegistry metrics) {
    this.replica = replica;
    this.scheduler = scheduler;
    this.every = every;
    metrics.register("verifier.replica.lag_seconds", (Gauge<Double>) () -> lagSeconds);
  }

  @Override
  public void start() {
    scheduler.scheduleWithFixedDelay(this::measure, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  private void measure() {
    try {
      lagSeconds = replica.withExtension(PurchaseDao.class, PurchaseDao::lagSeconds);
    } catch (JdbiException e) {
      lagSeconds = -1;
    }
  }
}
