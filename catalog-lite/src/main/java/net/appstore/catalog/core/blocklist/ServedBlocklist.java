package net.appstore.catalog.core.blocklist;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import net.appstore.catalog.core.PageCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocklist as the service serves it: the files {@code current} names, held in memory with
 * their ETags, reloaded when {@code current} points elsewhere (checked at most once per {@code
 * checkEvery}, so a publication by another process shows up within that time). If a reload fails,
 * the version in memory keeps being served (F17).
 *
 * <p>Metric {@code blocklist.age_seconds}: how old the served version is (its {@code
 * generated_at}); it grows when publication stops working, which is what the staleness alert
 * watches. -1 while nothing is published. Thread-safe.
 */
public final class ServedBlocklist {

  private static final Logger LOG = LoggerFactory.getLogger(ServedBlocklist.class);

  /** One published version in memory. */
  public record Snapshot(
      Path target,
      long version,
      java.time.Instant generatedAt,
      byte[] jwt,
      String jwtEtag,
      byte[] json,
      String jsonEtag) {}

  private final BlocklistFiles files;
  private final ObjectMapper mapper;
  private final long checkEveryNanos;
  private final AtomicReference<Optional<Snapshot>> snapshot =
      new AtomicReference<>(Optional.empty());
  private volatile long lastCheck = Long.MIN_VALUE;

  public ServedBlocklist(
      BlocklistFiles files,
      ObjectMapper mapper,
      Clock clock,
      Duration checkEvery,
      MetricRegistry metrics) {
    this.files = files;
    this.mapper = mapper;
    this.checkEveryNanos = checkEvery.toNanos();
    metrics.register(
        "blocklist.age_seconds",
        (Gauge<Long>)
            () ->
                current()
                    .map(s -> Duration.between(s.generatedAt(), clock.instant()).toSeconds())
                    .orElse(-1L));
    metrics.register(
        "blocklist.version", (Gauge<Long>) () -> current().map(Snapshot::version).orElse(0L));
  }

  /** The version to serve, reloading first if {@code current} may have moved. */
  public Optional<Snapshot> current() {
    long now = System.nanoTime();
    if (now - lastCheck >= checkEveryNanos || lastCheck == Long.MIN_VALUE) {
      lastCheck = now;
      reloadIfMoved();
    }
    return snapshot.get();
  }

  private synchronized void reloadIfMoved() {
    try {
      Optional<Path> target = files.currentTarget();
      Optional<Snapshot> held = snapshot.get();
      if (target.isEmpty() || (held.isPresent() && held.get().target().equals(target.get()))) {
        return;
      }
      Optional<BlocklistFiles.Published> published = files.current();
      if (published.isEmpty()) {
        return;
      }
      BlocklistFiles.Published p = published.get();
      BlocklistDocument.Summary summary = BlocklistDocument.Summary.of(mapper.readTree(p.json()));
      snapshot.set(
          Optional.of(
              new Snapshot(
                  target.get(),
                  summary.version(),
                  summary.generatedAt(),
                  p.jwt(),
                  PageCache.etagOf(p.jwt()),
                  p.json(),
                  PageCache.etagOf(p.json()))));
      LOG.info("serving blocklist version {} ({})", summary.version(), summary.generatedAt());
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "could not load the published blocklist; still serving the version in memory: {}",
          e.toString());
    }
  }
}
