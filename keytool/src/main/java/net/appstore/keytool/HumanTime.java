package net.appstore.keytool;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants and durations as operators read them in messages. Stateless. */
public final class HumanTime {

  private HumanTime() {}

  /** ISO-8601 UTC to the second, e.g. {@code 2026-11-26T12:00:00Z}. */
  public static String instant(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The two largest units, e.g. {@code 23h 59m}, {@code 180d}, {@code 4m 10s}, {@code 0s}. */
  public static String duration(Duration duration) {
    Duration d = duration.abs();
    String sign = duration.isNegative() ? "-" : "";
    long days = d.toDays();
    int hours = d.toHoursPart();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    if (days > 0) {
      return sign + days + "d" + (hours > 0 ? " " + hours + "h" : "");
    }
    if (hours > 0) {
      return sign + hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
    }
    if (minutes > 0) {
      return sign + minutes + "m" + (seconds > 0 ? " " + seconds + "s" : "");
    }
    return sign + seconds + "s";
  }
}
