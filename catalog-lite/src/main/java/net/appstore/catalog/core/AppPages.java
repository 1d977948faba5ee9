package net.appstore.catalog.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.appstore.catalog.api.AppPage;
import net.appstore.catalog.api.DeveloperRef;
import net.appstore.catalog.api.NewReview;
import net.appstore.catalog.api.ReviewView;
import net.appstore.catalog.api.VersionView;
import net.appstore.catalog.db.AppDao;
import net.appstore.catalog.db.ReviewDao;
import net.appstore.service.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App pages and reviews.
 *
 * <p>A page is cached as a whole (F2, F4). Reviews and ratings are optional parts: if they cannot
 * be read, the page is served without them and marked partial (F5), and the cache reloads it soon.
 *
 * <p>Read-your-writes (F6): reviews are written on the primary; when the reader is identified,
 * their own review is read from the primary and merged into the page, so its author sees it at once
 * whatever the replica's lag, while everybody else sees it once the replica has it (and the cached
 * page has been refreshed, within {@code freshFor}). Thread-safe.
 */
public final class AppPages {

  private static final Logger LOG = LoggerFactory.getLogger(AppPages.class);
  public static final int RECENT_REVIEWS = 10;

  private final Jdbi replica;
  private final Jdbi primary;
  private final DatabaseGate replicaGate;
  private final DatabaseGate primaryGate;
  private final PageCache<String, LoadedAppPage> pages;
  private final Meter partialPages;

  /** A page with the app's id, which is not published but needed to find the reader's review. */
  public record LoadedAppPage(long appId, AppPage page) {}

  public AppPages(
      Jdbi replica,
      Jdbi primary,
      DatabaseGate replicaGate,
      DatabaseGate primaryGate,
      CachePlumbing caches) {
    this.replica = replica;
    this.primary = primary;
    this.replicaGate = replicaGate;
    this.primaryGate = primaryGate;
    this.pages =
        caches.cache("app_pages", this::load, p -> p.page().partial(), LoadedAppPage::page);
    this.partialPages = caches.metrics().meter(MetricRegistry.name("app_pages", "partial_loads"));
  }

  /** The page everybody sees, from the cache. */
  public CachedPage<LoadedAppPage> page(String slug) {
    return pages.get(slug);
  }

  /** The page everybody sees if the cache holds it now; never reads the database. */
  public Optional<CachedPage<LoadedAppPage>> cachedPage(String slug) {
    return pages.getIfPresent(slug);
  }

  /**
   * The page as {@code reader} sees it: with their own review, read from the primary. If the
   * primary cannot be reached the shared page is returned as it is.
   */
  public AppPage pageFor(LoadedAppPage shared, CatalogUser reader) {
    Optional<Review> own;
    try {
      own =
          primaryGate.call(
              () ->
                  primary.withExtension(
                      ReviewDao.class, dao -> dao.findByAuthor(shared.appId(), reader.subject())));
    } catch (ServiceUnavailableException e) {
      return shared.page();
    }
    if (own.isEmpty()) {
      return shared.page();
    }
    ReviewView mine = Views.review(own.get());
    List<ReviewView> merged = new ArrayList<>();
    merged.add(mine);
    if (shared.page().reviews() != null) {
      shared.page().reviews().stream().filter(r -> r.id() != mine.id()).forEach(merged::add);
    }
    return shared
        .page()
        .withReviews(merged.size() > RECENT_REVIEWS ? merged.subList(0, RECENT_REVIEWS) : merged);
  }

  /**
   * Writes (or replaces) {@code author}'s review on the primary.
   *
   * @throws NotFoundException if there is no public app {@code slug}
   * @throws ServiceUnavailableException if the primary cannot take the write
   */
  public ReviewView postReview(String slug, CatalogUser author, NewReview review) {
    long appId =
        primaryGate
            .call(() -> primary.withExtension(AppDao.class, dao -> dao.findPublicId(slug)))
            .orElseThrow(() -> new NotFoundException("no app " + slug));
    Review saved =
        primaryGate.call(
            () ->
                primary.withExtension(
                    ReviewDao.class,
                    dao ->
                        dao.write(
                            appId,
                            author.subject(),
                            author.displayName(),
                            review.rating(),
                            review.body() == null ? "" : review.body())));
    // Others see the review once the replica has it; dropping the page here shortens the wait.
    pages.invalidate(slug);
    return Views.review(saved);
  }

  private Optional<LoadedAppPage> load(String slug) {
    Optional<Required> required = replicaGate.call(() -> loadRequired(slug));
    if (required.isEmpty()) {
      return Optional.empty();
    }
    Required r = required.get();
    RatingSummary rating = null;
    List<ReviewView> reviews = null;
    List<String> unavailable = List.of();
    try {
      Optional<RatingSummary> summary =
          replicaGate.call(
              () -> replica.withExtension(ReviewDao.class, dao -> dao.rating(r.app().id())));
      rating = summary.orElse(RatingSummary.NONE);
      reviews =
          replicaGate
              .call(
                  () ->
                      replica.withExtension(
                          ReviewDao.class, dao -> dao.recent(r.app().id(), RECENT_REVIEWS)))
              .stream()
              .map(Views::review)
              .toList();
    } catch (RuntimeException e) {
      // Optional part: the page goes out without it (F5). Anything, even a bug, must not take
      // the page down; bugs are logged as errors so a person sees them.
      partialPages.mark();
      if (e instanceof ServiceUnavailableException) {
        LOG.warn(
            "app page {}: reviews unavailable, serving a partial page: {}", slug, e.toString());
      } else {
        LOG.error("app page {}: reviews failed, serving a partial page", slug, e);
      }
      rating = null;
      reviews = null;
      unavailable = List.of("rating", "reviews");
    }
    AppRecord app = r.app();
    AppPage page =
        new AppPage(
            app.slug(),
            app.name(),
            app.summary(),
            app.description(),
            new DeveloperRef(app.developerSlug(), app.developerName()),
            r.categories(),
            app.originUrl(),
            Views.price(app.priceAmount(), app.priceCurrency()),
            r.current()
                .map(v -> new VersionView(v.version(), v.releasedAt(), v.minPlatformVersion()))
                .orElse(null),
            rating == null ? null : Views.rating(rating),
            reviews,
            !unavailable.isEmpty(),
            unavailable);
    return Optional.of(new LoadedAppPage(app.id(), page));
  }

  private record Required(AppRecord app, List<String> categories, Optional<AppVersion> current) {}

  private Optional<Required> loadRequired(String slug) {
    return replica.withHandle(
        handle -> {
          AppDao dao = handle.attach(AppDao.class);
          Optional<AppRecord> app = dao.findPublic(slug);
          if (app.isEmpty()) {
            return Optional.empty();
          }
          Optional<AppVersion> current =
              dao.versions(app.get().id()).stream()
                  .max(Comparator.comparing(v -> ToolkitVersion.parse(v.version())));
          return Optional.of(new Required(app.get(), dao.categorySlugs(app.get().id()), current));
        });
  }
}
