package net.appstore.signer.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.PublishedKeys;
import net.appstore.service.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWKS document served at {@code /.well-known/jwks.json}: exactly {@code
 * PublishedKeys.of(listPublished())}, the same bytes keytool exports. Read from the registry at
 * most once per {@code refreshInterval} (concurrent readers wait for one read); while the registry
 * cannot be read, the last good document is served for up to {@code maxStale}, then 503.
 *
 * <p>Thread-safe.
 */
public final class PublishedKeySetCache {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedKeySetCache.class);

  private record Snapshot(String json, Instant readAt) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration refreshInterval;
  private final Duration maxStale;
  private final Duration retryAfter;
  private Snapshot snapshot;

  public PublishedKeySetCache(
      Jdbi jdbi, Clock clock, Duration refreshInterval, Duration maxStale, Duration retryAfter) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
    this.maxStale = Objects.requireNonNull(maxStale, "maxStale");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /**
   * @throws ServiceUnavailableException {@code KEY_REGISTRY_UNAVAILABLE} without a usable document
   */
  public synchronized String json() {
    Instant now = clock.instant();
    if (snapshot != null && now.isBefore(snapshot.readAt().plus(refreshInterval))) {
      return snapshot.json();
    }
    try {
      String json =
          jdbi.withExtension(KeyRegistryDao.class, dao -> PublishedKeys.of(dao.listPublished()))
              .toJson();
      snapshot = new Snapshot(json, now);
      return json;
    } catch (JdbiException | IllegalStateException e) {
      if (snapshot != null && now.isBefore(snapshot.readAt().plus(maxStale))) {
        LOG.warn(
            "key registry unreadable, serving the JWKS read at {}: {}",
            snapshot.readAt(),
            e.getMessage());
        return snapshot.json();
      }
      throw new ServiceUnavailableException(
          ActiveKeys.KEY_REGISTRY_UNAVAILABLE, "the key registry cannot be read", retryAfter, e);
    }
  }
}
