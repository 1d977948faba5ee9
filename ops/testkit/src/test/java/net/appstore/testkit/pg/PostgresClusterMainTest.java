package net.appstore.testkit.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-stack command line, run in-process against real servers. */
class PostgresClusterMainTest {
  @TempDir Path temp;

  private Path dir() {
    return temp.resolve("pg");
  }

  @AfterEach
  void destroyEvenIfATestFailed() {
    run("destroy", "--dir", dir().toString());
  }

  @Test
  void upStatusDownDestroy_roundTrip_printsUrlsIsIdempotentKeepsDataUntilDestroyed()
      throws SQLException {
    Run first = run("up", "--dir", dir().toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    Map<String, String> env = first.environment();
    assertThat(env.keySet())
        .containsExactly("PRIMARY_JDBC_URL", "REPLICA_JDBC_URL", "PGUSER", "PGPASSWORD");
    assertThat(env.get("PRIMARY_JDBC_URL"))
        .matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/postgres");
    Endpoints printed =
        new Endpoints(
            env.get("PRIMARY_JDBC_URL"),
            env.get("REPLICA_JDBC_URL"),
            env.get("PGUSER"),
            env.get("PGPASSWORD"));
    try (Connection replica = printed.openReplica()) {
      assertThat(replica.isValid(5)).isTrue();
    }

    Run again = run("up", "--dir", dir().toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).contains("already running");
    assertThat(again.environment()).isEqualTo(env);
    assertThat(run("status", "--dir", dir().toString()).exitCode()).isZero();

    assertThat(run("stop", "replica", "--dir", dir().toString()).exitCode()).isZero();
    Run degraded = run("status", "--dir", dir().toString());
    assertThat(degraded.exitCode()).isEqualTo(PostgresClusterMain.NOT_RUNNING);
    assertThat(degraded.out()).contains("replica: stopped");
    Run restarted = run("up", "--dir", dir().toString());
    assertThat(restarted.exitCode()).isZero();
    assertThat(restarted.err()).contains("starting the stopped servers");
    assertThat(run("lag", "--dir", dir().toString()).out())
        .containsPattern("lag_bytes=\\d+")
        .containsPattern("lag_seconds=[\\d.]+");

    assertThat(run("down", "--dir", dir().toString()).exitCode()).isZero();
    assertThat(run("status", "--dir", dir().toString()).exitCode())
        .isEqualTo(PostgresClusterMain.NOT_RUNNING);
    assertThat(dir()).isDirectory();
    Run upAfterDown = run("up", "--dir", dir().toString());
    assertThat(upAfterDown.exitCode()).as(upAfterDown.err()).isZero();
    try (Connection primary = printed.openPrimary()) {
      assertThat(primary.isValid(5)).isTrue();
    }

    assertThat(run("destroy", "--dir", dir().toString()).exitCode()).isZero();
    assertThat(dir()).doesNotExist();
  }

  @Test
  void run_withBadArguments_exitsWithUsage() {
    assertThat(run().exitCode()).isEqualTo(PostgresClusterMain.USAGE);
    assertThat(run("up").err()).contains("up needs --dir DIR").contains("usage:");
    assertThat(run("stop", "--dir", "x").err()).contains("stop needs exactly one of");
    assertThat(run("frobnicate", "--dir", "x").exitCode()).isEqualTo(PostgresClusterMain.USAGE);
    assertThat(run("up", "--dir", "x", "--primary-port", "70000").err())
        .contains("not a port number");
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        PostgresClusterMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Run(int exitCode, String out, String err) {
    Map<String, String> environment() {
      return out.lines()
          .map(line -> line.split("=", 2))
          .collect(
              Collectors.toMap(
                  kv -> kv[0], kv -> kv[1], (a, b) -> b, java.util.LinkedHashMap::new));
    }
  }
}
