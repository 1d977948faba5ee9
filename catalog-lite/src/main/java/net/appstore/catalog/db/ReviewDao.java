package net.appstore.catalog.db;

import java.util.List;
import java.util.Optional;
import net.appstore.catalog.core.RatingSummary;
import net.appstore.catalog.core.Review;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * Reviews and rating aggregates. Reads for everyone come from the replica; the write and the
 * author's own read (read-your-writes, F6) go to the primary.
 */
@RegisterConstructorMapper(Review.class)
@RegisterConstructorMapper(RatingSummary.class)
public interface ReviewDao {

  String COLUMNS = "id, author_sub, author_name, rating, body, created_at, updated_at";

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM catalog.review WHERE app_id = :app ORDER BY updated_at DESC, id DESC"
          + " LIMIT :limit")
  List<Review> recent(@Bind("app") long appId, @Bind("limit") int limit);

  @SqlQuery(
      "SELECT count, total, stars_1 AS stars1, stars_2 AS stars2, stars_3 AS stars3,"
          + " stars_4 AS stars4, stars_5 AS stars5 FROM catalog.app_rating WHERE app_id = :app")
  Optional<RatingSummary> rating(@Bind("app") long appId);

  @SqlQuery("SELECT " + COLUMNS + " FROM catalog.review WHERE app_id = :app AND author_sub = :sub")
  Optional<Review> findByAuthor(@Bind("app") long appId, @Bind("sub") String authorSub);

  @SqlUpdate("INSERT INTO catalog.app_rating (app_id) VALUES (:app) ON CONFLICT DO NOTHING")
  void ensureRatingRow(@Bind("app") long appId);

  /** Serialises review writes of one app, so the aggregate cannot lose a concurrent review. */
  @SqlQuery("SELECT app_id FROM catalog.app_rating WHERE app_id = :app FOR UPDATE")
  long lockRating(@Bind("app") long appId);

  @SqlQuery(
      "INSERT INTO catalog.review (app_id, author_sub, author_name, rating, body)"
          + " VALUES (:app, :sub, :name, :rating, :body)"
          + " ON CONFLICT (app_id, author_sub) DO UPDATE SET rating = excluded.rating,"
          + " body = excluded.body, author_name = excluded.author_name, updated_at = now()"
          + " RETURNING "
          + COLUMNS)
  Review upsert(
      @Bind("app") long appId,
      @Bind("sub") String authorSub,
      @Bind("name") String authorName,
      @Bind("rating") int rating,
      @Bind("body") String body);

  @SqlUpdate(
      "UPDATE catalog.app_rating SET (count, total, stars_1, stars_2, stars_3, stars_4, stars_5) ="
          + " (SELECT count(*), coalesce(sum(rating), 0), count(*) FILTER (WHERE rating = 1),"
          + " count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 3),"
          + " count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 5)"
          + " FROM catalog.review WHERE app_id = :app) WHERE app_id = :app")
  void recomputeRating(@Bind("app") long appId);

  /** Writes (or replaces) the author's review and the app's rating aggregate, atomically. */
  @Transaction
  default Review write(long appId, String authorSub, String authorName, int rating, String body) {
    ensureRatingRow(appId);
    lockRating(appId);
    Review review = upsert(appId, authorSub, authorName, rating, body);
    recomputeRating(appId);
    return review;
  }
}
