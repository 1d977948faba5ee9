package net.appstore.catalog.db;

import java.time.Instant;
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

  /**
   * When the replica has received WAL it has not replayed (replay paused or behind), the commit
   * time of the last transaction it replayed: what it answers is as of then. Null when it has
   * replayed everything it received (or this is not a replica): its answers are current.
   */
  @SqlQuery(
      "SELECT CASE WHEN pg_is_in_recovery()"
          + " AND pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn()"
          + " THEN pg_last_xact_replay_timestamp() END")
  Optional<Instant> replayedUpTo();

  @SqlQuery(
      "SELECT a.slug, a.name, a.status, a.weekly_downloads, coalesce(r.count, 0) AS rating_count,"
          + " coalesce(r.total, 0) AS rating_total FROM catalog.app a"
          + " LEFT JOIN catalog.app_rating r ON r.app_id = a.id"
          + " WHERE a.developer_id = :developer AND a.status <> 'deleted'"
          + " ORDER BY a.weekly_downloads DESC, a.id")
  List<DeveloperAppStats> appStats(@Bind("developer") long developerId);
}
