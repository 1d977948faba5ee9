package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hsm-config/softhsm/init-token, run as an operator runs it. It works in a directory of its own:
 * this JVM's SoftHSM2 never sees these tokens, only child processes do.
 */
class InitTokenScriptTest {

  private static final Path SCRIPT = Path.of("softhsm/init-token");
  private static final String SO_PIN = "73914082";
  private static final String PIN = "51160734";

  @TempDir Path dir;

  @Test
  void initToken_runTwice_secondRunChangesNothing() throws Exception {
    Path tokens = dir.resolve("tokens");

    Result first =
        run(
            Map.of("HSM_SO_PIN", SO_PIN, "HSM_PIN", PIN),
            "--token-dir",
            tokens,
            "--label",
            "receipts");
    List<Path> filesAfterFirst = files(dir);
    String confAfterFirst = Files.readString(dir.resolve("softhsm2.conf"));
    Result second =
        run(
            Map.of("HSM_SO_PIN", SO_PIN, "HSM_PIN", PIN),
            "--token-dir",
            tokens,
            "--label",
            "receipts");

    assertThat(first.exit).as(first.output).isZero();
    assertThat(first.output).contains("initialised token 'receipts'");
    assertThat(confAfterFirst).contains("directories.tokendir = " + tokens.toRealPath());
    assertThat(second.exit).as(second.output).isZero();
    assertThat(second.output)
        .contains("token 'receipts' already exists: nothing to do")
        .contains("is up to date");
    assertThat(files(dir)).isEqualTo(filesAfterFirst);
    assertThat(Files.readString(dir.resolve("softhsm2.conf"))).isEqualTo(confAfterFirst);
    assertThat(labelsListedBySoftHsm()).containsOnlyOnce("receipts");
    assertThat(first.output + second.output).doesNotContain(SO_PIN).doesNotContain(PIN);
  }

  @Test
  void initToken_pinsFromEnvironment_userPinLogsInAndOtherPinDoesNot() throws Exception {
    assumeTrue(TestCommands.onPath("pkcs11-tool"), "pkcs11-tool (opensc) is not installed");
    Path tokens = dir.resolve("tokens");
    Result init =
        run(
            Map.of("HSM_SO_PIN", SO_PIN, "HSM_PIN", PIN),
            "--token-dir",
            tokens,
            "--label",
            "env-pins");
    assertThat(init.exit).as(init.output).isZero();

    assertThat(pkcs11ToolLogin("env-pins", PIN).exit).isZero();
    assertThat(pkcs11ToolLogin("env-pins", SO_PIN).exit).isNotZero();
  }

  @Test
  void initToken_noUserPin_failsBeforeCreatingAnything() throws Exception {
    Result result =
        run(Map.of("HSM_SO_PIN", SO_PIN), "--token-dir", dir.resolve("tokens"), "--label", "x");

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.output).contains("no user PIN");
    assertThat(files(dir)).isEmpty();
  }

  private record Result(int exit, String output) {}

  private Result run(Map<String, String> environment, Object... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    for (Object argument : arguments) {
      command.add(argument.toString());
    }
    return exec(command, environment);
  }

  private Result pkcs11ToolLogin(String label, String pin) throws Exception {
    return exec(
        List.of(
            "pkcs11-tool",
            "--module",
            HsmSettings.SOFTHSM2_LIBRARY.toString(),
            "--token-label",
            label,
            "--login",
            "--pin",
            pin,
            "--list-objects"),
        Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString()));
  }

  private List<String> labelsListedBySoftHsm() throws Exception {
    Result slots =
        exec(
            List.of("softhsm2-util", "--show-slots"),
            Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString()));
    return slots
        .output
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith("Label:"))
        .map(line -> line.substring("Label:".length()).strip())
        .filter(label -> !label.isEmpty())
        .toList();
  }

  /** Runs without this JVM's SOFTHSM2_CONF, so only what the script writes counts. */
  private static Result exec(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("SOFTHSM2_CONF");
    builder.environment().keySet().removeIf(name -> name.startsWith("HSM_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(path -> !path.equals(root)).sorted().toList();
    }
  }
}
