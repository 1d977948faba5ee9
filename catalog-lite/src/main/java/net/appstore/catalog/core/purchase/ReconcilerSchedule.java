package net.appstore.catalog.core.purchase;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the {@link Reconciler} every {@code every}, the first time one period after start. */
public final class ReconcilerSchedule implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerSchedule.class);

  private final Reconciler reconciler;
  private final ScheduledExecutorService executor;
  private final Duration every;

  public ReconcilerSchedule(
      Reconciler reconciler, ScheduledExecutorService executor, Duration every) {
    this.reconciler = reconciler;
    this.executor = executor;
    this.every = every;
  }

  @Override
  public void start() {
    executor.scheduleWithFixedDelay(
        this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    try {
      reconciler.run();
    } catch (Exception e) {
      LOG.warn("reconciler run failed: {}", e.toString());
    }
  }

  @Override
  public void stop() {
    executor.shutdown();
  }
}
