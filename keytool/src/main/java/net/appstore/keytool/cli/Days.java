package net.appstore.keytool.cli;

import java.time.Duration;
import net.appstore.keytool.KeytoolException;

/** Day counts from the command line. */
final class Days {

  /** Longer than any certificate keytool should issue; also keeps dates inside X.509's range. */
  private static final int MAX_DAYS = 36_500;

  private Days() {}

  static Duration validity(Integer days, Duration fallback, String option) throws KeytoolException {
    if (days == null) {
      return fallback;
    }
    if (days < 1 || days > MAX_DAYS) {
      throw KeytoolException.usage(option + " must be between 1 and " + MAX_DAYS + ": " + days);
    }
    return Duration.ofDays(days);
  }
}
