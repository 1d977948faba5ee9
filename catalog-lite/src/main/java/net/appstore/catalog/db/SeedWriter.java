package net.appstore.catalog.db;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import net.appstore.catalog.core.SeedData;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Bulk-loads generated data into the catalog schema with PostgreSQL {@code COPY}, in one
 * transaction: either the whole catalog is there or none of it. Loads into empty tables only,
 * unless asked to replace what is there. Rating aggregates are computed from the reviews, and the
 * id sequences are moved past the loaded ids, so the service writes on top normally.
 */
public final class SeedWriter {

  private static final int ROWS_PER_COPY = 20_000;

  private final Jdbi primary;

  public SeedWriter(Jdbi primary) {
    this.primary = primary;
  }

  /** Whether the catalog holds no app yet. */
  public boolean isEmpty() {
    return primary.withHandle(
        h ->
            h.createQuery("SELECT NOT EXISTS (SELECT 1 FROM catalog.app)")
                .mapTo(Boolean.class)
                .one());
  }

  /**
   * Writes {@code data}.
   *
   * @param replace delete the existing catalog (apps, reviews, blocklist entries and publication
   *     history) first; otherwise the catalog must be empty
   * @throws IllegalStateException if the catalog is not empty and {@code replace} is false
   * @throws SQLException if the database refuses the data
   */
  public void write(SeedData data, boolean replace) throws SQLException {
    primary.useTransaction(
        handle -> {
          if (replace) {
            handle.execute(
                "TRUNCATE catalog.blocklist_publication, catalog.blocklist_entry,"
                    + " catalog.app_rating, catalog.review, catalog.app_version,"
                    + " catalog.app_category, catalog.app, catalog.category, catalog.developer"
                    + " RESTART IDENTITY");
          } else if (handle
              .createQuery("SELECT EXISTS (SELECT 1 FROM catalog.app)")
              .mapTo(Boolean.class)
              .one()) {
            throw new IllegalStateException(
                "the catalog already holds apps; seed again with --replace to delete them first");
          }
          CopyManager copy = copyManager(handle);
          copy(
              copy,
              "catalog.developer (id, slug, name, email, oidc_subject)",
              data.developers(),
              d -> row(d.id(), d.slug(), d.name(), d.email(), d.oidcSubject()));
          copy(
              copy,
              "catalog.category (id, slug, name, position)",
              data.categories(),
              c -> row(c.id(), c.slug(), c.name(), c.position()));
          copy(
              copy,
              "catalog.app (id, slug, name, summary, description, developer_id, origin_url,"
                  + " price_amount, price_currency, status, featured, weekly_downloads,"
                  + " created_at, updated_at)",
              data.apps(),
              a ->
                  row(
                      a.id(),
                      a.slug(),
                      a.name(),
                      a.summary(),
                      a.description(),
                      a.developerId(),
                      a.originUrl(),
                      a.priceAmount(),
                      a.priceCurrency(),
                      a.status(),
                      a.featured(),
                      a.weeklyDownloads(),
                      a.createdAt(),
                      a.createdAt()));
          copy(
              copy,
              "catalog.app_category (app_id, category_id)",
              data.appCategories(),
              c -> row(c.appId(), c.categoryId()));
          copy(
              copy,
              "catalog.app_version (id, app_id, version, released_at, package_url,"
                  + " package_sha256, min_platform_version)",
              data.versions(),
              v ->
                  row(
                      v.id(),
                      v.appId(),
                      v.version(),
                      v.releasedAt(),
                      v.packageUrl(),
                      v.packageSha256(),
                      v.minPlatformVersion()));
          copy(
              copy,
              "catalog.review (id, app_id, author_sub, author_name, rating, body, created_at,"
                  + " updated_at)",
              data.reviews(),
              r ->
                  row(
                      r.id(),
                      r.appId(),
                      r.authorSub(),
                      r.authorName(),
                      r.rating(),
                      r.body(),
                      r.createdAt(),
                      r.createdAt()));
          copy(
              copy,
              "catalog.blocklist_entry (id, app_id, min_version, max_version, severity, reason,"
                  + " created_at, created_by)",
              data.blocklistEntries(),
              b ->
                  row(
                      b.id(),
                      b.appId(),
                      b.minVersion(),
                      b.maxVersion(),
                      b.severity(),
                      b.reason(),
                      b.createdAt(),
                      "seed"));
          handle.execute(
              "INSERT INTO catalog.app_rating (app_id, count, total, stars_1, stars_2, stars_3,"
                  + " stars_4, stars_5) SELECT app_id, count(*), sum(rating),"
                  + " count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2),"
                  + " count(*) FILTER (WHERE rating = 3), count(*) FILTER (WHERE rating = 4),"
                  + " count(*) FILTER (WHERE rating = 5) FROM catalog.review GROUP BY app_id");
          for (String table :
              List.of("developer", "category", "app", "app_version", "review", "blocklist_entry")) {
            handle.execute(
                "SELECT setval(pg_get_serial_sequence('catalog."
                    + table
                    + "', 'id'),"
                    + " (SELECT coalesce(max(id), 0) + 1 FROM catalog."
                    + table
                    + "), false)");
          }
        });
    // Fresh statistics, or the planner guesses badly on the first queries after a bulk load.
    primary.useHandle(
        h ->
            h.execute(
                "ANALYZE catalog.app, catalog.review, catalog.app_version,"
                    + " catalog.app_category, catalog.app_rating"));
  }

  private static CopyManager copyManager(Handle handle) throws SQLException {
    return handle.getConnection().unwrap(PGConnection.class).getCopyAPI();
  }

  private static <T> void copy(
      CopyManager copy, String target, List<T> rows, Function<T, String> csv) throws SQLException {
    StringBuilder chunk = new StringBuilder();
    int inChunk = 0;
    for (T row : rows) {
      chunk.append(csv.apply(row));
      if (++inChunk == ROWS_PER_COPY) {
        copyChunk(copy, target, chunk);
        chunk.setLength(0);
        inChunk = 0;
      }
    }
    if (inChunk > 0) {
      copyChunk(copy, target, chunk);
    }
  }

  private static void copyChunk(CopyManager copy, String target, CharSequence csv)
      throws SQLException {
    try {
      copy.copyIn(
          "COPY " + target + " FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One CSV line: nulls unquoted (COPY's NULL), everything else quoted. */
  private static String row(Object... values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      Object value = values[i];
      if (value == null) {
        continue;
      }
      String text =
          value instanceof BigDecimal decimal
              ? decimal.toPlainString()
              : value instanceof Instant instant ? instant.toString() : value.toString();
      line.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
    return line.append('\n').toString();
  }
}
