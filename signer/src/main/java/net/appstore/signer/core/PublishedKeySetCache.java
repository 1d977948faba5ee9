package net.appstore.signer.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
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
 * <p>Never older than the keys this signer signs with: a document that lacks a kid {@code
 * signingKids} names (a rotation since the last read) is read again at once, and is not served
 * stale. A verifier fetches the set on a receipt's unknown kid and remembers an answer without it,
 * so a document served before the key it signs with would make valid receipts look forged.
 *
 * <p>Thread-safe.
 */
public final class PublishedKeySetCache {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedKeySetCache.class);

  private record Snapshot(String json, Set<String> kids, Instant readAt) {

    boolean lists(Set<String> signingKids) {
      return kids.containsAll(signingKids);
    }
  }

  private final Jdbi jdbi;
  private final Supplier<Set<String>> signingKids;
  private final Clock clock;
  private final Duration refreshInterval;
  private final Duration maxStale;
  private final Duration retryAfter;
  private Snapshot snapshot;

  public PublishedKeySetCache(
      Jdbi jdbi,
      Supplier<Set<String>> signingKids,
      Clock clock,
      Duration refreshInterval,
      Duration maxStale,
      Duration retryAfter) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.signingKids = Objects.requireNonNull(signingKids, "signingKids");
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
    Set<String> signing = signingKids.get();
    if (snapshot != null
        && now.isBefore(snapshot.readAt().plus(refreshInterval))
        && snapshot.lists(signing)) {
      return snapshot.json();
    }
    try {
      List<RegisteredKey> published =
          jdbi.withExtension(KeyRegistryDao.class, KeyRegistryDao::listPublished);
      Set<String> kids = published.stream().map(RegisteredKey::kid).collect(Collectors.toSet());
      snapshot = new Snapshot(PublishedKeys.of(published).toJson(), kids, now);
      return snapshot.json();
    } catch (JdbiException | IllegalStateException e) {
      if (snapshot != null
          && now.isBefore(snapshot.readAt().plus(maxStale))
          && snapshot.lists(signing)) {
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
