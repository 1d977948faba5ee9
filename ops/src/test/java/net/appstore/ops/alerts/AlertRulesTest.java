package net.appstore.ops.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules in {@code ops/alerts}: well formed for people (severity, summary, description)
 * always, and, where {@code promtool} is installed (Debian package prometheus; ops/test installs
 * it), accepted by Prometheus's own checker and passing their unit tests.
 */
class AlertRulesTest {

  private static final Path ALERTS = Path.of("alerts");
  private static final Path RULES = ALERTS.resolve("receipts.rules.yml");

  @Test
  void rules_everyAlert_hasSeverityAndTextForThePersonPaged() throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode group : root.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("alert").asText();
        names.add(name);
        assertThat(rule.path("expr").asText()).as(name + " expr").isNotBlank();
        assertThat(rule.path("labels").path("severity").asText())
            .as(name + " severity")
            .isIn("page", "ticket");
        assertThat(rule.path("annotations").path("summary").asText())
            .as(name + " summary")
            .isNotBlank();
        assertThat(rule.path("annotations").path("description").asText())
            .as(name + " description")
            .isNotBlank();
      }
    }
    assertThat(names)
        .doesNotHaveDuplicates()
        .contains(
            "ActiveReceiptKeyExpiresWithin30Days",
            "HsmCanaryFailing",
            "PurchaseReplicaLagOverWindow",
            "BlocklistOlderThanMaximumAge",
            "VerifierAnswering503",
            "UpdateChecksDegraded",
            "PurchasesStuckInSigned",
            "ReconcilerMismatches",
            "PurchaseJournalNotDraining",
            "ReceiptAuditMismatches",
            "ReceiptAuditNotRunning");
  }

  @Test
  void rules_promtool_checksAndUnitTestsPass() throws Exception {
    assumeTrue(onPath("promtool"), "promtool not installed (Debian package prometheus)");
    assertThat(run("promtool", "check", "rules", RULES.getFileName().toString())).isZero();
    assertThat(run("promtool", "test", "rules", "receipts.rules.test.yml")).isZero();
  }

  private static int run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(ALERTS.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    return process.exitValue();
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
