package net.appstore.devservices.payments;

import java.io.PrintStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * One line per request, fault switch or ledger event, prefixed with the time: the simulator's log
 * under the stack's supervisor ({@code .stack/logs/payments.log}). Thread-safe.
 */
final class EventLog {

  private final PrintStream out;
  private final Clock clock;

  EventLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  void event(String message) {
    out.println(clock.instant().truncatedTo(ChronoUnit.MILLIS) + " " + message);
  }

  void error(String message, Throwable cause) {
    synchronized (out) {
      event(message);
      cause.printStackTrace(out);
    }
  }
}
