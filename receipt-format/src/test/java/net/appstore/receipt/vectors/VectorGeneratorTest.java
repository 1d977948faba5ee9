package net.appstore.receipt.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import net.appstore.receipt.jose.JosePolicy;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the committed vectors and their generator in step: run against the committed keys, the
 * generator must reproduce the certificates, the key set and every vector byte for byte (except
 * randomized PS256 and ES256 signatures). So a change to the signer's output, or to the catalog,
 * cannot go unnoticed until someone regenerates. Also the entry point for regenerating (see {@link
 * VectorGenerator}).
 */
class VectorGeneratorTest {

  @Test
  @EnabledIfSystemProperty(named = "vectors.regenerate", matches = "true")
  void regenerate_whenRequested_rewritesCommittedVectors() throws Exception {
    new VectorGenerator(VectorGenerator.COMMITTED).generate();
  }

  @Test
  void generate_withCommittedKeys_reproducesCommittedRootAndJwks(@TempDir Path directory)
      throws Exception {
    generateWithCommittedKeys(directory);

    for (String file : new String[] {"root.pem", "jwks.json"}) {
      assertThat(directory.resolve(file)).hasSameTextualContentAs(committed(file));
    }
  }

  @Test
  void generate_withCommittedKeys_reproducesEveryVectorExceptRandomizedSignatures(
      @TempDir Path directory) throws Exception {
    generateWithCommittedKeys(directory);

    List<String> fresh = Files.readAllLines(directory.resolve("receipt-vectors.json"));
    List<String> committed = Files.readAllLines(committed("receipt-vectors.json"));
    assertThat(fresh).hasSameSizeAs(committed);
    for (int i = 0; i < fresh.size(); i++) {
      if (isRandomized(committed.get(i))) {
        // PS256 salts and ECDSA nonces are random: compare everything but the token.
        assertThat(withoutToken(fresh.get(i))).isEqualTo(withoutToken(committed.get(i)));
      } else {
        assertThat(fresh.get(i)).isEqualTo(committed.get(i));
      }
    }
  }

  /** A vector line whose header asks for PS256 or ES256, whose signatures are randomized. */
  private static boolean isRandomized(String line) throws Exception {
    if (!line.startsWith("{\"name\":")) {
      return false;
    }
    String token =
        JSONObjectUtils.getString(JSONObjectUtils.parse(line.replaceAll(",$", "")), "token");
    String header = token.split("\\.", -1)[0];
    try {
      String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
      return json.contains("\"alg\":\"PS256\"") || json.contains("\"alg\":\"ES256\"");
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static String withoutToken(String line) {
    return line.substring(0, line.indexOf(",\"token\":"));
  }

  @Test
  void committedVectors_maxSizeAndOversized_straddleTheLimit() {
    TestVectors vectors = TestVectors.load();

    assertThat(vectors.vector("max-size-token").token()).hasSize(JosePolicy.MAX_TOKEN_CHARS);
    assertThat(vectors.vector("oversized-token").token()).hasSize(JosePolicy.MAX_TOKEN_CHARS + 1);
  }

  private static void generateWithCommittedKeys(Path directory) throws Exception {
    Path keys = Files.createDirectories(directory.resolve("test-only-keys"));
    try (Stream<Path> files = Files.list(committed("test-only-keys"))) {
      for (Path file : files.toList()) {
        Files.copy(file, keys.resolve(file.getFileName()));
      }
    }
    new VectorGenerator(directory).generate();
  }

  private static Path committed(String name) {
    return VectorGenerator.COMMITTED.resolve(name);
  }
}
