package net.appstore.devservices.faultproxy;

import java.time.Duration;
import java.util.Locale;

/**
 * What a {@link FaultProxy} does with traffic. The text form ({@link #parse}, {@link #toString}) is
 * what the mode file holds: {@code pass}, {@code refuse}, {@code hang} or {@code slow=<ms>}.
 *
 * <ul>
 *   <li>{@code pass}: bytes flow both ways unchanged.
 *   <li>{@code refuse}: the listening socket is closed, so new connections are refused by the
 *       operating system (ECONNREFUSED), and open connections are cut.
 *   <li>{@code hang}: connections are accepted but no byte is forwarded either way (a black hole:
 *       clients wait for their own timeouts); open connections stall too.
 *   <li>{@code slow=<ms>}: every chunk the target sends back reaches the client {@code ms} later.
 * </ul>
 */
public record ProxyMode(Kind kind, Duration delay) {

  public enum Kind {
    PASS,
    REFUSE,
    HANG,
    SLOW
  }

  /** The longest delay {@code slow} accepts: beyond that, {@code hang} says it better. */
  public static final Duration MAX_DELAY = Duration.ofMinutes(5);

  public static final ProxyMode PASS = new ProxyMode(Kind.PASS, Duration.ZERO);
  public static final ProxyMode REFUSE = new ProxyMode(Kind.REFUSE, Duration.ZERO);
  public static final ProxyMode HANG = new ProxyMode(Kind.HANG, Duration.ZERO);

  public ProxyMode {
    if ((kind == Kind.SLOW) != !delay.isZero()) {
      throw new IllegalArgumentException("only slow has a delay, and it must be above 0 ms");
    }
  }

  public static ProxyMode slow(Duration delay) {
    if (delay.isNegative() || delay.isZero() || delay.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          "slow needs a delay of 1 to " + MAX_DELAY.toMillis() + " ms, not " + delay.toMillis());
    }
    return new ProxyMode(Kind.SLOW, delay);
  }

  /**
   * @throws IllegalArgumentException naming the accepted forms, for anything else
   */
  public static ProxyMode parse(String text) {
    String mode = text.strip().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "pass":
        return PASS;
      case "refuse":
        return REFUSE;
      case "hang":
        return HANG;
      default:
        break;
    }
    if (mode.startsWith("slow=")) {
      String ms = mode.substring("slow=".length());
      try {
        return slow(Duration.ofMillis(Long.parseLong(ms)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("slow=<ms> needs whole milliseconds, not '" + ms + "'");
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + text.strip() + "': one of pass, refuse, hang, slow=<ms>");
  }

  @Override
  public String toString() {
    return kind == Kind.SLOW ? "slow=" + delay.toMillis() : kind.name().toLowerCase(Locale.ROOT);
  }
}
