package net.appstore.catalog.db;

import java.util.List;
import java.util.Optional;
import net.appstore.catalog.core.AppRecord;
import net.appstore.catalog.core.AppSummary;
import net.appstore.catalog.core.AppVersion;
import net.appstore.catalog.core.ListingSort;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Apps, their versions and search; only {@code public} apps are ever returned. */
@RegisterConstructorMapper(AppSummary.class)
@RegisterConstructorMapper(AppRecord.class)
@RegisterConstructorMapper(AppVersion.class)
public interface AppDao {

  String SUMMARY_COLUMNS =
      "a.id, a.slug, a.name, a.summary, a.price_amount, a.price_currency,"
          + " coalesce(r.count, 0) AS rating_count, coalesce(r.total, 0) AS rating_total";

  @SqlQuery(
      "SELECT "
          + SUMMARY_COLUMNS
          + " FROM catalog.app a LEFT JOIN catalog.app_rating r ON r.app_id = a.id"
          + " WHERE a.status = 'public' ORDER BY <orderBy> LIMIT :limit OFFSET :offset")
  List<AppSummary> listAll(
      @Define("orderBy") String orderBy, @Bind("limit") int limit, @Bind("offset") int offset);

  @SqlQuery(
      "SELECT "
          + SUMMARY_COLUMNS
          + " FROM catalog.app a"
          + " JOIN catalog.app_category ac ON ac.app_id = a.id AND ac.category_id = :category"
          + " LEFT JOIN catalog.app_rating r ON r.app_id = a.id"
          + " WHERE a.status = 'public' ORDER BY <orderBy> LIMIT :limit OFFSET :offset")
  List<AppSummary> listInCategory(
      @Define("orderBy") String orderBy,
      @Bind("category") int categoryId,
      @Bind("limit") int limit,
      @Bind("offset") int offset);

  default List<AppSummary> list(
      Optional<Integer> categoryId, ListingSort sort, int limit, int offset) {
    return categoryId.isPresent()
        ? listInCategory(sort.orderBy(), categoryId.get(), limit, offset)
        : listAll(sort.orderBy(), limit, offset);
  }

  @SqlQuery("SELECT count(*) FROM catalog.app WHERE status = 'public'")
  long countAll();

  @SqlQuery(
      "SELECT count(*) FROM catalog.app a JOIN catalog.app_category ac ON ac.app_id = a.id"
          + " WHERE ac.category_id = :category AND a.status = 'public'")
  long countInCategory(@Bind("category") int categoryId);

  @SqlQuery(
      "SELECT "
          + SUMMARY_COLUMNS
          + " FROM catalog.app a LEFT JOIN catalog.app_rating r ON r.app_id = a.id"
          + " WHERE a.featured AND a.status = 'public' ORDER BY a.weekly_downloads DESC, a.id"
          + " LIMIT :limit")
  List<AppSummary> featured(@Bind("limit") int limit);

  @SqlQuery(
      "SELECT a.id, a.slug, a.name, a.summary, a.description, d.slug AS developer_slug,"
          + " d.name AS developer_name, a.origin_url, a.price_amount, a.price_currency"
          + " FROM catalog.app a JOIN catalog.developer d ON d.id = a.developer_id"
          + " WHERE a.slug = :slug AND a.status = 'public'")
  Optional<AppRecord> findPublic(@Bind("slug") String slug);

  @SqlQuery("SELECT id FROM catalog.app WHERE slug = :slug AND status = 'public'")
  Optional<Long> findPublicId(@Bind("slug") String slug);

  @SqlQuery(
      "SELECT c.slug FROM catalog.app_category ac JOIN catalog.category c ON c.id = ac.category_id"
          + " WHERE ac.app_id = :app ORDER BY c.position, c.slug")
  List<String> categorySlugs(@Bind("app") long appId);

  @SqlQuery(
      "SELECT version, released_at, package_url, package_sha256, min_platform_version"
          + " FROM catalog.app_version WHERE app_id = :app ORDER BY released_at, id")
  List<AppVersion> versions(@Bind("app") long appId);

  /** The versions of a public app; empty for an unknown or non-public app. */
  @SqlQuery(
      "SELECT v.version, v.released_at, v.package_url, v.package_sha256, v.min_platform_version"
          + " FROM catalog.app_version v JOIN catalog.app a ON a.id = v.app_id"
          + " WHERE a.slug = :slug AND a.status = 'public' ORDER BY v.released_at, v.id")
  List<AppVersion> versionsOfPublic(@Bind("slug") String slug);

  /**
   * Full-text search ({@code websearch_to_tsquery}: words, "quoted phrases", -excluded, or), best
   * rank first (name weighs more than summary, summary more than description), then popularity.
   */
  @SqlQuery(
      "SELECT "
          + SUMMARY_COLUMNS
          + " FROM catalog.app a LEFT JOIN catalog.app_rating r ON r.app_id = a.id,"
          + " websearch_to_tsquery('english', :q) query"
          + " WHERE a.status = 'public' AND a.search @@ query"
          + " ORDER BY ts_rank_cd(a.search, query) DESC, a.weekly_downloads DESC, a.id"
          + " LIMIT :limit OFFSET :offset")
  List<AppSummary> search(
      @Bind("q") String query, @Bind("limit") int limit, @Bind("offset") int offset);
}
