package net.appstore.ops.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What one drill observed, for the drill table: a drill adds each user-visible observation and
 * measures its recovery with {@link #awaitRecovery}. The table line is written whether the drill
 * passes or fails, so a failed drill still shows how far it got.
 */
public final class DrillReport {

  private final List<String> observations = new ArrayList<>();
  private Duration recovery;

  /** Records something the user saw, e.g. {@code "verify: 200 pending"}. */
  public void observed(String observation) {
    observations.add(observation);
  }

  /**
   * Polls {@code recovered} until it is true or {@code limit} passes, and records the time it took
   * as the drill's recovery time.
   *
   * @throws AssertionError when it did not recover within the limit
   */
  public Duration awaitRecovery(Duration limit, Callable<Boolean> recovered) throws Exception {
    Duration elapsed = Await.until(limit, recovered, "recovery");
    recovery = elapsed;
    observed("recovered in " + Await.seconds(elapsed));
    return elapsed;
  }

  String observations() {
    return observations.isEmpty() ? "-" : String.join("; ", observations);
  }

  String recovery() {
    return recovery == null ? "-" : Await.seconds(recovery);
  }
}
