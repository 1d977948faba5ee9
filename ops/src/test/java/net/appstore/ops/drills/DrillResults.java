package net.appstore.ops.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The drill table's lines, one per drill run, tab-separated in {@code
 * ops/target/drills/results.tsv} (row, fault, expected, observed, recovery, result); {@code
 * ./ops/drill} prints it as a table.
 */
final class DrillResults {

  static final String HEADER = "row\tfault\texpected\tobserved\trecovery\tresult\n";

  private DrillResults() {}

  /** Starts a fresh table: called once per run, when the drill stack comes up. */
  static synchronized void reset() {
    write(HEADER, StandardOpenOption.TRUNCATE_EXISTING);
  }

  static synchronized void append(Drill drill, DrillReport report, Throwable failure) {
    String result = failure == null ? "pass" : "FAIL: " + firstLine(failure);
    write(
        String.join(
                "\t",
                drill.row(),
                drill.fault(),
                clean(drill.expected()),
                clean(report.observations()),
                report.recovery(),
                clean(result))
            + "\n",
        StandardOpenOption.APPEND);
  }

  /** A drill that did not run, with the reason: the table shows it instead of dropping the row. */
  static synchronized void appendQuarantined(Drill drill, String reason) {
    write(
        String.join(
                "\t", drill.row(), drill.fault(), clean(drill.expected()), "-", "-", clean(reason))
            + "\n",
        StandardOpenOption.APPEND);
  }

  private static String firstLine(Throwable failure) {
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static String clean(String text) {
    return text.replace('\t', ' ').replace('\n', ' ');
  }

  private static void write(String text, StandardOpenOption mode) {
    Path file = DrillPaths.results();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
