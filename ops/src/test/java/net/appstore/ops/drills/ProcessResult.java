package net.appstore.ops.drills;

import java.util.Arrays;
import java.util.List;

/** Exit status and output (stdout and stderr together) of an ops command. */
public record ProcessResult(int exitCode, String output) {

  static ProcessResult ok(String output) {
    return new ProcessResult(0, output);
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  public String lastLine() {
    List<String> lines = lines();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
  }

  public String tail(int n) {
    List<String> lines = lines();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private List<String> lines() {
    return Arrays.stream(output.split("\n")).filter(l -> !l.isBlank()).toList();
  }
}
