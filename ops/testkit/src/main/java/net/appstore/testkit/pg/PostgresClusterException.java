package net.appstore.testkit.pg;

/**
 * A PostgreSQL server of the test kit could not be set up, started, stopped or queried. The message
 * says which server and step, and includes the tail of the server log where there is one.
 */
public final class PostgresClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the server and the failed step. */
  public PostgresClusterException(String message) {
    super(message);
  }

  /** Creates an exception with a message that names the server and the failed step. */
  public PostgresClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
