package net.appstore.catalog.core.blocklist;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the blocklist publication job on a schedule inside the server. Failures and refusals are
 * logged and counted by the publisher and leave the last good version served (F17); the next run
 * tries again.
 */
public final class BlocklistSchedule implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(BlocklistSchedule.class);

  private final BlocklistPublisher publisher;
  private final ScheduledExecutorService scheduler;
  private final Duration every;

  public BlocklistSchedule(
      BlocklistPublisher publisher, ScheduledExecutorService scheduler, Duration every) {
    this.publisher = publisher;
    this.scheduler = scheduler;
    this.every = every;
  }

  @Override
  public void start() {
    scheduler.scheduleWithFixedDelay(
        this::runOnce, Math.min(every.toMillis(), 5_000), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  private void runOnce() {
    try {
      var result = publisher.publishIfDue();
      if (!result.published()) {
        LOG.debug("blocklist publication skipped: {}", result.note());
      }
    } catch (Exception e) {
      // Logged and counted by the publisher; the schedule must keep running.
      LOG.debug("scheduled blocklist publication did not publish", e);
    }
  }
}
