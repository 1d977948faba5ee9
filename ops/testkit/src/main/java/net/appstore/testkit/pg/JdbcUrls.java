package net.appstore.testkit.pg;

/** Rewrites PostgreSQL JDBC URLs ({@code jdbc:postgresql://hosts/database?parameters}). */
final class JdbcUrls {
  private static final String PREFIX = "jdbc:postgresql://";

  private JdbcUrls() {}

  static String of(int port, String database) {
    return PREFIX + "127.0.0.1:" + port + "/" + database;
  }

  /** {@code url} with its database replaced, keeping hosts and parameters. */
  static String withDatabase(String url, String database) {
    if (!url.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (" + PREFIX + "...): " + url);
    }
    int query = url.indexOf('?') < 0 ? url.length() : url.indexOf('?');
    int slash = url.indexOf('/', PREFIX.length());
    int hostsEnd = slash < 0 || slash > query ? query : slash;
    return url.substring(0, hostsEnd) + "/" + database + url.substring(query);
  }
}
