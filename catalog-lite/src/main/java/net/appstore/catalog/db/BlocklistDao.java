package net.appstore.catalog.db;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import net.appstore.catalog.core.BlocklistEntry;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Blocklist entries and the record of publications (primary: publication must not lag). */
@RegisterConstructorMapper(BlocklistEntry.class)
public interface BlocklistDao {

  String ENTRY_COLUMNS =
      "e.id, a.slug AS app, e.min_version, e.max_version, e.severity, e.reason, e.created_at";

  @SqlQuery(
      "SELECT "
          + ENTRY_COLUMNS
          + " FROM catalog.blocklist_entry e JOIN catalog.app a ON a.id = e.app_id"
          + " WHERE e.removed_at IS NULL ORDER BY e.id")
  List<BlocklistEntry> activeEntries();

  @SqlUpdate(
      "INSERT INTO catalog.blocklist_entry (app_id, min_version, max_version, severity, reason,"
          + " created_by) SELECT id, :min, :max, :severity, :reason, :by FROM catalog.app"
          + " WHERE slug = :app")
  @GetGeneratedKeys("id")
  Optional<Long> addEntry(
      @Bind("app") String appSlug,
      @Bind("min") String minVersion,
      @Bind("max") String maxVersion,
      @Bind("severity") String severity,
      @Bind("reason") String reason,
      @Bind("by") String createdBy);

  @SqlUpdate(
      "UPDATE catalog.blocklist_entry SET removed_at = now(), removed_by = :by"
          + " WHERE id = :id AND removed_at IS NULL")
  int removeEntry(@Bind("id") long id, @Bind("by") String removedBy);

  @SqlQuery("SELECT coalesce(max(version), 0) FROM catalog.blocklist_publication")
  long lastReservedVersion();

  @SqlUpdate(
      "INSERT INTO catalog.blocklist_publication (version, generated_at, entry_count, state,"
          + " overrides) VALUES (:version, :generatedAt, :count, 'reserved', :overrides)")
  void reserve(
      @Bind("version") long version,
      @Bind("generatedAt") Timestamp generatedAt,
      @Bind("count") int entryCount,
      @Bind("overrides") String[] overrides);

  @SqlUpdate(
      "UPDATE catalog.blocklist_publication SET state = :state, kid = :kid,"
          + " token_sha256 = :sha256, detail = :detail, updated_at = now()"
          + " WHERE version = :version")
  void finish(
      @Bind("version") long version,
      @Bind("state") String state,
      @Bind("kid") String kid,
      @Bind("sha256") String tokenSha256,
      @Bind("detail") String detail);

  /** Session-level lock: one publisher at a time across all instances. */
  @SqlQuery("SELECT pg_try_advisory_lock(hashtext('catalog.blocklist.publish'))")
  boolean tryLockPublisher();

  @SqlQuery("SELECT pg_advisory_unlock(hashtext('catalog.blocklist.publish'))")
  boolean unlockPublisher();
}
