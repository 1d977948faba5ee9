package net.appstore.catalog.core.purchase;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replays the completion journal at start and then every {@code every} until it is empty. */
public final class CompletionReplayer implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionReplayer.class);

  private final CompletionJournal journal;
  private final ScheduledExecutorService executor;
  private final Duration every;

  public CompletionReplayer(
      CompletionJournal journal, ScheduledExecutorService executor, Duration every) {
    this.journal = journal;
    this.executor = executor;
    this.every = every;
  }

  @Override
  public void start() {
    executor.scheduleWithFixedDelay(this::replayOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void replayOnce() {
    try {
      int waiting = journal.replay();
      if (waiting > 0) {
        LOG.warn("completion journal: {} completion(s) still waiting for the database", waiting);
      }
    } catch (Exception e) {
      LOG.error("completion journal replay failed: {}", e.toString());
    }
  }

  @Override
  public void stop() {
    executor.shutdown();
  }
}
