package net.appstore.keytool;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Set;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmUnavailableException;
import net.appstore.keytool.ca.CertificationException;

/**
 * Sorts whatever a command threw into an exit code and one line for the operator. Expected failures
 * (HSM or database unavailable, wrong PIN, refused steps) never show a stack trace; anything else
 * is a bug and does. Stateless.
 */
public final class Failures {

  /** SQLSTATEs of a lost or refused connection, a server shutting down, or too many clients. */
  private static final Set<String> UNAVAILABLE_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "53400");

  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final Set<String> SCHEMA_MISSING = Set.of("42P01", "3F000");

  private Failures() {}

  /** An exit code with its message. */
  public record Failure(int exitCode, String message) {
    public boolean isBug() {
      return exitCode == ExitCode.INTERNAL_ERROR;
    }
  }

  public static Failure classify(Throwable thrown) {
    if (thrown instanceof KeytoolException known) {
      return new Failure(known.exitCode(), oneLine(known.getMessage()));
    }
    CertificationException certification = find(thrown, CertificationException.class);
    if (certification != null) {
      return new Failure(
          ExitCode.INTEGRITY,
          "certification failed, the generated HSM key was removed: "
              + oneLine(certification.getMessage()));
    }
    if (thrown instanceof HsmUnavailableException) {
      return new Failure(ExitCode.HSM_UNAVAILABLE, "HSM unavailable: " + oneLine(thrown));
    }
    if (thrown instanceof HsmKeyException key) {
      return switch (key.reason()) {
        case WRONG_PIN, PIN_LOCKED -> new Failure(ExitCode.WRONG_PIN, oneLine(thrown));
        case LABEL_IN_USE -> new Failure(ExitCode.REFUSED, oneLine(thrown));
        default -> new Failure(ExitCode.INTEGRITY, "registry and HSM disagree: " + oneLine(thrown));
      };
    }
    SQLException sql = find(thrown, SQLException.class);
    if (sql != null || find(thrown, ConnectException.class) != null) {
      return database(sql, thrown);
    }
    return new Failure(ExitCode.INTERNAL_ERROR, "internal error: " + oneLine(thrown));
  }

  private static Failure database(SQLException sql, Throwable thrown) {
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String detail = oneLine(sql == null ? thrown.getMessage() : sql.getMessage());
    if (SCHEMA_MISSING.contains(state)) {
      return new Failure(
          ExitCode.USAGE, "the key registry schema is missing: run 'keytool db migrate' first");
    }
    if (LOCK_NOT_AVAILABLE.equals(state)) {
      return new Failure(
          ExitCode.DATABASE_UNAVAILABLE,
          "registry busy: another keytool run holds the lifecycle lock; try again ("
              + detail
              + ")");
    }
    if (UNIQUE_VIOLATION.equals(state)) {
      return new Failure(
          ExitCode.REFUSED, "refused by the registry (concurrent change?): " + detail);
    }
    if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state) || sql == null) {
      return new Failure(ExitCode.DATABASE_UNAVAILABLE, "registry database unavailable: " + detail);
    }
    return new Failure(
        ExitCode.DATABASE_UNAVAILABLE, "registry database error [" + state + "]: " + detail);
  }

  private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String oneLine(Throwable thrown) {
    return oneLine(thrown.getMessage() == null ? thrown.toString() : thrown.getMessage());
  }

  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
