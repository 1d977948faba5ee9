package net.appstore.keytool;

/**
 * keytool's exit codes, for scripts, cron and monitoring. Every failure prints one line on stderr
 * that starts with {@code keytool: }; only {@link #INTERNAL_ERROR} adds a stack trace, because it
 * means a bug.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th><th>what to do</th></tr>
 *   <tr><td>0</td><td>done (or nothing to do yet, e.g. a rotation waiting for its lead time)</td>
 *       <td></td></tr>
 *   <tr><td>1</td><td>refused: a safety rule, the key's state, an unknown kid, or a root that
 *       exists already</td><td>read the message; nothing was changed</td></tr>
 *   <tr><td>2</td><td>usage or configuration error (bad option, missing setting, schema not
 *       migrated, no PIN)</td><td>fix the command line or configuration</td></tr>
 *   <tr><td>3</td><td>HSM unavailable (token absent, library missing, device error)</td>
 *       <td>retry when the HSM is back; nothing was changed</td></tr>
 *   <tr><td>4</td><td>registry database unavailable, busy or failing</td>
 *       <td>retry when the database is back; nothing was changed</td></tr>
 *   <tr><td>5</td><td>wrong or locked HSM PIN</td><td>check HSM_PIN; a locked PIN needs the
 *       security officer</td></tr>
 *   <tr><td>6</td><td>integrity problem: registry and HSM disagree, a certificate cannot be
 *       issued, or the issuance chain is broken</td><td>a person investigates</td></tr>
 *   <tr><td>7</td><td>check-expiry: a purpose has no ACTIVE key, or it expires within the warning
 *       window</td><td>rotate</td></tr>
 *   <tr><td>70</td><td>internal error (a bug)</td><td>report it with the stack trace</td></tr>
 * </table>
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int REFUSED = 1;
  public static final int USAGE = 2;
  public static final int HSM_UNAVAILABLE = 3;
  public static final int DATABASE_UNAVAILABLE = 4;
  public static final int WRONG_PIN = 5;
  public static final int INTEGRITY = 6;
  public static final int EXPIRING = 7;
  public static final int INTERNAL_ERROR = 70;

  private ExitCode() {}
}
