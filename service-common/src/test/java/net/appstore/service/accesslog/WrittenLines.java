package net.appstore.service.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines a request log has written to a stream, for tests whose writer runs on its own thread.
 */
final class WrittenLines {

  private WrittenLines() {}

  /** Waits up to 5 s until {@code out} holds {@code count} lines, and returns them. */
  static List<String> await(ByteArrayOutputStream out, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<String> lines = of(out);
    while (lines.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
      lines = of(out);
    }
    assertThat(lines).hasSize(count);
    return lines;
  }

  /** The non-empty lines written so far. */
  static List<String> of(ByteArrayOutputStream out) {
    List<String> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split(System.lineSeparator())) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
