package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A second opinion from outside the JVM: OpenSC's pkcs11-tool reads the objects hsm-config
 * generated. Skipped only where pkcs11-tool (Debian package opensc) is not installed.
 */
@ExtendWith(SoftHsmExtension.class)
class Pkcs11ToolListingTest {

  private static HsmToken token;
  private static TestRootCa rootCa;

  @BeforeAll
  static void open(SoftHsmToken softHsm) throws Exception {
    token = OpenTokens.open(softHsm);
    rootCa = TestRootCa.create();
  }

  @ParameterizedTest
  @EnumSource(HsmKeyType.class)
  void generateKeyPair_anyType_pkcs11ToolListsSensitiveNeverExtractableKeyPair(
      HsmKeyType type, SoftHsmToken softHsm) throws Exception {
    assumeTrue(TestCommands.onPath("pkcs11-tool"), "pkcs11-tool (opensc) is not installed");
    String label = "listed-" + type.name().toLowerCase();
    token.generateKeyPair(label, type, rootCa);

    List<String> objects = listObjects(softHsm);

    String privateKey = objectLabelled(objects, "Private Key Object", label);
    assertThat(accessFlags(privateKey))
        .contains("sensitive", "always sensitive", "never extractable")
        .doesNotContain("extractable");
    assertThat(objectLabelled(objects, "Public Key Object", label)).isNotEmpty();
    assertThat(objectLabelled(objects, "Certificate Object", label)).isNotEmpty();
  }

  /** pkcs11-tool prints one block per object, starting at an unindented line. */
  private static List<String> listObjects(SoftHsmToken softHsm)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "pkcs11-tool",
                "--module",
                softHsm.library().toString(),
                "--token-label",
                softHsm.label(),
                "--login",
                "--pin",
                new String(softHsm.userPin()),
                "--list-objects")
            .redirectErrorStream(true);
    builder.environment().put("SOFTHSM2_CONF", softHsm.conf().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    List<String> blocks = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.startsWith(" ") || blocks.isEmpty()) {
        blocks.add(line);
      } else {
        blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
      }
    }
    return blocks;
  }

  private static String objectLabelled(List<String> blocks, String kind, String label) {
    return blocks.stream()
        .filter(block -> block.startsWith(kind))
        .filter(
            block ->
                block
                    .lines()
                    .anyMatch(line -> line.strip().matches("label:\\s+" + Pattern.quote(label))))
        .findFirst()
        .orElse("");
  }

  private static List<String> accessFlags(String block) {
    return block
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith("Access:"))
        .flatMap(line -> Stream.of(line.substring("Access:".length()).split(",")))
        .map(String::strip)
        .toList();
  }
}
