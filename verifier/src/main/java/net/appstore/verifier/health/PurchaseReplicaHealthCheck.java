package net.appstore.verifier.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import java.util.Locale;
import net.appstore.service.db.ReplicaLagMonitor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Queries the purchase replica for its replay lag, under the pool's connect timeout and a 2 s
 * statement timeout. Unhealthy when it cannot be reached, or lags by more than the replica-lag
 * window (receipts then go to the primary more often). Verification goes on either way, through the
 * primary fallback: route traffic on {@code /__lbheartbeat__}, alert on this.
 */
public final class PurchaseReplicaHealthCheck extends HealthCheck {

  private final Jdbi replica;
  private final Duration lagWindow;

  public PurchaseReplicaHealthCheck(Jdbi replica, Duration lagWindow) {
    this.replica = replica;
    this.lagWindow = lagWindow;
  }

  @Override
  protected Result check() {
    double lag;
    try {
      lag = ReplicaLagMonitor.lagSeconds(replica);
    } catch (JdbiException e) {
      return Result.unhealthy("replica unreachable: " + e.getMessage());
    }
    if (lag < 0) {
      return Result.unhealthy("replica lag cannot be measured (started, not streaming yet)");
    }
    String message = String.format(Locale.ROOT, "replica lag %.3f s", lag);
    return lag * 1000 > lagWindow.toMillis()
        ? Result.unhealthy(message + ", beyond the " + lagWindow.toSeconds() + " s window")
        : Result.healthy(message);
  }
}
