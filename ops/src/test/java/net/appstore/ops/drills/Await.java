package net.appstore.ops.drills;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Polling for a condition of the running stack, with a bound. */
public final class Await {

  private static final Duration POLL = Duration.ofMillis(100);

  private Await() {}

  /**
   * Polls {@code condition} (an exception counts as false) until it holds; returns how long it
   * took.
   *
   * @throws AssertionError naming {@code what} when {@code limit} passes first
   */
  public static Duration until(Duration limit, Callable<Boolean> condition, String what)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what + " did not happen within " + seconds(limit) + (last == null ? "" : ": " + last),
            last);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
