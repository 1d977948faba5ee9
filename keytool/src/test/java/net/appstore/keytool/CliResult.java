package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

/** What one in-process keytool run printed and returned. */
record CliResult(int exitCode, String out, String err) {

  /** Exit code 0, nothing on stderr. */
  CliResult succeeded() {
    assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
    assertThat(err).as("stderr").isEmpty();
    return this;
  }

  /**
   * Failed with this exit code and exactly one line on stderr, starting {@code keytool: } and
   * containing {@code fragment}; no stack trace.
   */
  CliResult failed(int expectedExitCode, String fragment) {
    assertThat(exitCode)
        .as("exit code; stdout:%n%s%nstderr:%n%s", out, err)
        .isEqualTo(expectedExitCode);
    assertThat(err.lines().toList()).as("stderr").hasSize(1);
    assertThat(err).startsWith("keytool: ").contains(fragment).doesNotContain("\tat ");
    return this;
  }
}
