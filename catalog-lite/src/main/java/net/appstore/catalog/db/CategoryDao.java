package net.appstore.catalog.db;

import java.util.List;
import java.util.Optional;
import net.appstore.catalog.core.Category;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Categories, read from the replica. */
@RegisterConstructorMapper(Category.class)
public interface CategoryDao {

  @SqlQuery(
      "SELECT c.id, c.slug, c.name, count(a.id) AS app_count FROM catalog.category c"
          + " LEFT JOIN catalog.app_category ac ON ac.category_id = c.id"
          + " LEFT JOIN catalog.app a ON a.id = ac.app_id AND a.status = 'public'"
          + " GROUP BY c.id ORDER BY c.position, c.slug")
  List<Category> listWithAppCounts();

  @SqlQuery("SELECT id, slug, name, 0 AS app_count FROM catalog.category WHERE slug = :slug")
  Optional<Category> findBySlug(@Bind("slug") String slug);
}
