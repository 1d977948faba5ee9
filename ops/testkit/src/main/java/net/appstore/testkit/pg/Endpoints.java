package net.appstore.testkit.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * JDBC URLs of a primary and its replica with the credentials for both; {@code user} and {@code
 * password} are null when the URLs carry their own.
 */
record Endpoints(String primaryUrl, String replicaUrl, String user, String password) {

  Connection openPrimary() throws SQLException {
    return open(primaryUrl);
  }

  Connection openReplica() throws SQLException {
    return open(replicaUrl);
  }

  /** The same servers, with both URLs pointing at {@code database} instead. */
  Endpoints withDatabase(String database) {
    return new Endpoints(
        JdbcUrls.withDatabase(primaryUrl, database),
        JdbcUrls.withDatabase(replicaUrl, database),
        user,
        password);
  }

  private Connection open(String url) throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    // Fail fast on a stopped server instead of hanging a test; URL parameters still win.
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("ApplicationName", "testkit");
    return DriverManager.getConnection(url, properties);
  }
}
