package net.appstore.catalog.core;

import java.util.List;
import java.util.Optional;
import net.appstore.catalog.api.AppListing;
import net.appstore.catalog.api.CategoryList;
import net.appstore.catalog.api.CategoryView;
import net.appstore.catalog.api.HomePage;
import net.appstore.catalog.db.AppDao;
import net.appstore.catalog.db.CategoryDao;
import org.jdbi.v3.core.Jdbi;

/**
 * The browsing pages: categories, homepage and category listings, each an object cache in front of
 * the replica under the browse bulkhead. Thread-safe.
 */
public final class CatalogPages {

  public static final int HOME_ITEMS = 12;

  private final Jdbi replica;
  private final DatabaseGate gate;
  private final int pageSize;
  private final PageCache<String, CategoryList> categories;
  private final PageCache<String, HomePage> home;
  private final PageCache<ListingKey, AppListing> listings;

  public CatalogPages(Jdbi replica, DatabaseGate gate, int pageSize, CachePlumbing caches) {
    this.replica = replica;
    this.gate = gate;
    this.pageSize = pageSize;
    this.categories = caches.cache("categories", key -> Optional.of(loadCategories()));
    this.home = caches.cache("home", key -> Optional.of(loadHome()));
    this.listings = caches.cache("listings", this::loadListing);
  }

  public CachedPage<CategoryList> categories() {
    return categories.get("all");
  }

  public CachedPage<HomePage> home() {
    return home.get("home");
  }

  /** A page of a listing; not found when the category does not exist. */
  public CachedPage<AppListing> listing(ListingKey key) {
    return listings.get(key);
  }

  public int pageSize() {
    return pageSize;
  }

  /** Empties every browsing cache (operator action and the F2 drill). */
  public void invalidateAll() {
    categories.invalidateAll();
    home.invalidateAll();
    listings.invalidateAll();
  }

  private CategoryList loadCategories() {
    return gate.call(
        () ->
            new CategoryList(
                replica.withExtension(CategoryDao.class, CategoryDao::listWithAppCounts).stream()
                    .map(c -> new CategoryView(c.slug(), c.name(), c.appCount()))
                    .toList()));
  }

  private HomePage loadHome() {
    return gate.call(
        () ->
            replica.withExtension(
                AppDao.class,
                dao ->
                    new HomePage(
                        dao.featured(HOME_ITEMS).stream().map(Views::listItem).toList(),
                        dao.list(Optional.empty(), ListingSort.POPULAR, HOME_ITEMS, 0).stream()
                            .map(Views::listItem)
                            .toList())));
  }

  private Optional<AppListing> loadListing(ListingKey key) {
    return gate.call(
        () ->
            replica.withHandle(
                handle -> {
                  Optional<Integer> categoryId = Optional.empty();
                  if (key.category().isPresent()) {
                    Optional<Category> category =
                        handle.attach(CategoryDao.class).findBySlug(key.category().get());
                    if (category.isEmpty()) {
                      return Optional.empty();
                    }
                    categoryId = Optional.of(category.get().id());
                  }
                  AppDao apps = handle.attach(AppDao.class);
                  List<AppSummary> items =
                      apps.list(categoryId, key.sort(), pageSize, (key.page() - 1) * pageSize);
                  long total =
                      categoryId.isPresent()
                          ? apps.countInCategory(categoryId.get())
                          : apps.countAll();
                  return Optional.of(
                      new AppListing(
                          key.category().orElse(null),
                          key.sort().wireName(),
                          key.page(),
                          pageSize,
                          total,
                          items.stream().map(Views::listItem).toList()));
                }));
  }
}
