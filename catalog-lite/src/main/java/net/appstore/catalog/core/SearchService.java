package net.appstore.catalog.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import net.appstore.catalog.api.SearchResults;
import net.appstore.catalog.db.AppDao;
import net.appstore.service.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full-text search in PostgreSQL, under its own bulkhead so that expensive searches cannot starve
 * browsing, with results cached per normalised query (F25: served from the database under the
 * bulkhead when not cached). Whatever goes wrong answers 503 {@code SEARCH_UNAVAILABLE} for search
 * only; browsing is unaffected (F3). The search document is a generated column, updated in the
 * statement that writes the app, so results never lag the data (F24). Thread-safe.
 */
public final class SearchService {

  private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);
  public static final int MAX_QUERY_LENGTH = 100;
  public static final String UNAVAILABLE = "SEARCH_UNAVAILABLE";

  private final Jdbi replica;
  private final DatabaseGate gate;
  private final int pageSize;
  private final Duration retryAfter;
  private final PageCache<Query, SearchResults> results;

  /** A normalised query: trimmed, inner whitespace collapsed, lower case. */
  public record Query(String text, int page) {
    public static Query of(String raw, int page) {
      return new Query(raw.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT), page);
    }
  }

  public SearchService(
      Jdbi replica, DatabaseGate gate, int pageSize, Duration retryAfter, CachePlumbing caches) {
    this.replica = replica;
    this.gate = gate;
    this.pageSize = pageSize;
    this.retryAfter = retryAfter;
    this.results = caches.cache("search", this::load);
  }

  /**
   * @throws ServiceUnavailableException {@code SEARCH_UNAVAILABLE} if search cannot answer now
   */
  public CachedPage<SearchResults> search(Query query) {
    try {
      return results.get(query);
    } catch (ServiceUnavailableException e) {
      throw new ServiceUnavailableException(
          UNAVAILABLE, "search is unavailable", e.retryAfter(), e);
    } catch (RuntimeException e) {
      LOG.error("search failed", e);
      throw new ServiceUnavailableException(UNAVAILABLE, "search is unavailable", retryAfter, e);
    }
  }

  private Optional<SearchResults> load(Query query) {
    return Optional.of(
        new SearchResults(
            query.text(),
            query.page(),
            pageSize,
            gate
                .call(
                    () ->
                        replica.withExtension(
                            AppDao.class,
                            dao ->
                                dao.search(query.text(), pageSize, (query.page() - 1) * pageSize)))
                .stream()
                .map(Views::listItem)
                .toList()));
  }
}
