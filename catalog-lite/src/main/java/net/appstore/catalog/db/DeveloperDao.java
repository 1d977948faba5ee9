package net.appstore.catalog.db;

import java.util.List;
import java.util.Optional;
import net.appstore.catalog.core.Developer;
import net.appstore.catalog.core.DeveloperAppStats;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Developer accounts and their statistics (replica). */
@RegisterConstructorMapper(Developer.class)
@RegisterConstructorMapper(DeveloperAppStats.class)
public interface DeveloperDao {

  @SqlQuery("SELECT id, slug, name, oidc_subject FROM catalog.developer WHERE slug = :slug")
  Optional<Developer> findBySlug(@Bind("slug") String slug);

  @SqlQuery(
      "SELECT a.slug, a.name, a.status, a.weekly_downloads, coalesce(r.count, 0) AS rating_count,"
          + " coalesce(r.total, 0) AS rating_total FROM catalog.app a"
          + " LEFT JOIN catalog.app_rating r ON r.app_id = a.id"
          + " WHERE a.developer_id = :developer AND a.status <> 'deleted'"
          + " ORDER BY a.weekly_downloads DESC, a.id")
  List<DeveloperAppStats> appStats(@Bind("developer") long developerId);
}
