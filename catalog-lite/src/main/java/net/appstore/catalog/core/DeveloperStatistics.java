package net.appstore.catalog.core;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import net.appstore.catalog.api.DeveloperStats;
import net.appstore.catalog.db.DeveloperDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Statistics of a developer's apps, for the developer who owns the account (the token's {@code sub}
 * is the account's OpenID Connect subject) or an operator. Not cached: private and rarely read.
 * Read from the replica; when it is down the page answers 503 (F27). When it is behind (replay
 * paused or slow), the statistics are still shown, with {@code as_of} the commit time of the last
 * transaction it replayed instead of now, so a developer sees how old they are (F28). Thread-safe.
 */
public final class DeveloperStatistics {

  private final Jdbi replica;
  private final DatabaseGate gate;
  private final Clock clock;

  public DeveloperStatistics(Jdbi replica, DatabaseGate gate, Clock clock) {
    this.replica = replica;
    this.gate = gate;
    this.clock = clock;
  }

  /**
   * @throws NotFoundException no such developer
   * @throws ForbiddenException {@code reader} neither owns the account nor is an operator
   */
  public DeveloperStats of(String slug, CatalogUser reader) {
    return gate.call(
        () ->
            replica.withExtension(
                DeveloperDao.class,
                dao -> {
                  Developer developer =
                      dao.findBySlug(slug)
                          .orElseThrow(() -> new NotFoundException("no developer " + slug));
                  if (!reader.isOperator() && !reader.subject().equals(developer.oidcSubject())) {
                    throw new ForbiddenException("not your developer account");
                  }
                  // Read before the statistics, so as_of never claims more than they hold.
                  Instant asOf = dao.replayedUpTo().orElseGet(clock::instant);
                  List<DeveloperAppStats> apps = dao.appStats(developer.id());
                  return new DeveloperStats(
                      developer.slug(),
                      asOf,
                      apps.size(),
                      apps.stream().mapToLong(DeveloperAppStats::weeklyDownloads).sum(),
                      apps.stream().mapToLong(DeveloperAppStats::ratingCount).sum(),
                      apps.stream()
                          .map(
                              a ->
                                  new DeveloperStats.AppStats(
                                      a.slug(),
                                      a.name(),
                                      a.status(),
                                      a.weeklyDownloads(),
                                      Views.rating(a.ratingCount(), a.ratingTotal())))
                          .toList());
                }));
  }
}
