package net.appstore.receipt.vectors;

import static net.appstore.receipt.testing.TestVectors.BLOCKLIST_KID;
import static net.appstore.receipt.testing.TestVectors.ES256_KID;
import static net.appstore.receipt.testing.TestVectors.EXPIRED_CERT_KID;
import static net.appstore.receipt.testing.TestVectors.PS256_KID;
import static net.appstore.receipt.testing.TestVectors.ROGUE_KID;
import static net.appstore.receipt.testing.TestVectors.RS256_KID;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.receipt.testing.Pem;
import net.appstore.receipt.testing.TestCertificates;
import net.appstore.receipt.testing.TestCertificates.Usage;
import net.appstore.receipt.testing.TestVectors;

/**
 * Regenerates {@code src/test/resources/vectors/}: the TEST-ONLY keys (only those missing), the
 * certificates, {@code root.pem}, {@code jwks.json} and {@code receipt-vectors.json}. Run on
 * purpose only, from the repository root, then build again:
 *
 * <pre>
 * mvn -B -pl receipt-format test -Dvectors.regenerate=true -Dtest=VectorGeneratorTest
 * mvn -B -q -pl receipt-format verify
 * </pre>
 *
 * <p>Keys are kept across runs, and RSA certificate signatures are deterministic, so {@code
 * root.pem} and {@code jwks.json} come out byte-identical; PS256 and ES256 tokens change (their
 * signatures are randomized), which is fine. Commit the output. Delete a key file to replace that
 * key.
 */
final class VectorGenerator {

  /** Where the committed vectors live, relative to the module directory (Surefire's cwd). */
  static final Path COMMITTED = Path.of("src/test/resources/vectors");

  /** The fixed "now" of every vector. */
  static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");

  static final long MAX_CLOCK_SKEW_SECONDS = 60;
  static final String ROOT_KEY = "test-only-root";
  static final String ROGUE_ROOT_KEY = "test-only-rogue-root";
  static final String ATTACKER_KEY = "test-only-attacker-rs256";

  private static final Instant ROOT_FROM = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant ROOT_TO = Instant.parse("2060-01-01T00:00:00Z");
  private static final Instant LEAF_FROM = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant LEAF_TO = Instant.parse("2050-01-01T00:00:00Z");
  private static final Instant EXPIRED_LEAF_TO = Instant.parse("2021-01-01T00:00:00Z");

  private final Path directory;

  VectorGenerator(Path directory) {
    this.directory = directory;
  }

  void generate() throws IOException, GeneralSecurityException {
    Files.createDirectories(directory.resolve("test-only-keys"));
    KeyPair root = keyPair(ROOT_KEY, SigningAlgorithm.RS256);
    KeyPair rogueRoot = keyPair(ROGUE_ROOT_KEY, SigningAlgorithm.RS256);
    X509Certificate rootCert =
        TestCertificates.root("TEST-ONLY receipt root", root, ROOT_FROM, ROOT_TO, 1);
    X509Certificate rogueRootCert =
        TestCertificates.root("TEST-ONLY rogue root", rogueRoot, ROOT_FROM, ROOT_TO, 1);

    Map<String, KeyPair> signingKeys = new LinkedHashMap<>();
    List<PublishedKey> published =
        List.of(
            // One chain includes the root and the others leave it out: both forms must work.
            publish(RS256_KID, SigningAlgorithm.RS256, signingKeys, rootCert, root, 2, true),
            publish(PS256_KID, SigningAlgorithm.PS256, signingKeys, rootCert, root, 3, false),
            publish(ES256_KID, SigningAlgorithm.ES256, signingKeys, rootCert, root, 4, false),
            publish(BLOCKLIST_KID, SigningAlgorithm.RS256, signingKeys, rootCert, root, 5, false),
            publish(
                ROGUE_KID, SigningAlgorithm.RS256, signingKeys, rogueRootCert, rogueRoot, 6, false),
            publishExpired(signingKeys, rootCert, root));
    PublishedKeySet keySet = new PublishedKeySet(published);

    KeyPair attacker = keyPair(ATTACKER_KEY, SigningAlgorithm.RS256);
    X509Certificate attackerCert =
        TestCertificates.root("attacker", attacker, ROOT_FROM, ROOT_TO, 666);
    List<VectorCatalog.Vector> vectors =
        new VectorCatalog(NOW, signingKeys, attacker, attackerCert).all();

    write("root.pem", Pem.certificate(rootCert));
    write("jwks.json", keySet.toJson() + "\n");
    write("receipt-vectors.json", vectorsJson(vectors));
  }

  private PublishedKey publish(
      String kid,
      SigningAlgorithm algorithm,
      Map<String, KeyPair> signingKeys,
      X509Certificate issuer,
      KeyPair issuerKeys,
      long serial,
      boolean includeRoot)
      throws IOException, GeneralSecurityException {
    KeyPair keys = keyPair(kid, algorithm);
    signingKeys.put(kid, keys);
    X509Certificate leaf =
        TestCertificates.issue(
            kid,
            keys.getPublic(),
            issuer,
            issuerKeys.getPrivate(),
            LEAF_FROM,
            LEAF_TO,
            serial,
            Usage.SIGNING);
    List<X509Certificate> chain = includeRoot ? List.of(leaf, issuer) : List.of(leaf);
    return new PublishedKey(kid, algorithm, keys.getPublic(), chain);
  }

  private PublishedKey publishExpired(
      Map<String, KeyPair> signingKeys, X509Certificate root, KeyPair rootKeys)
      throws IOException, GeneralSecurityException {
    KeyPair keys = keyPair(EXPIRED_CERT_KID, SigningAlgorithm.RS256);
    signingKeys.put(EXPIRED_CERT_KID, keys);
    X509Certificate leaf =
        TestCertificates.issue(
            EXPIRED_CERT_KID,
            keys.getPublic(),
            root,
            rootKeys.getPrivate(),
            ROOT_FROM,
            EXPIRED_LEAF_TO,
            7,
            Usage.SIGNING);
    return new PublishedKey(
        EXPIRED_CERT_KID, SigningAlgorithm.RS256, keys.getPublic(), List.of(leaf));
  }

  /** Loads the committed TEST-ONLY key, creating it only if it does not exist yet. */
  private KeyPair keyPair(String name, SigningAlgorithm algorithm)
      throws IOException, GeneralSecurityException {
    boolean ec = algorithm == SigningAlgorithm.ES256;
    Path file = directory.resolve("test-only-keys").resolve(name + ".pem");
    if (Files.exists(file)) {
      return Pem.readKeyPair(Files.readString(file), ec ? "EC" : "RSA");
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
    if (ec) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    KeyPair keys = generator.generateKeyPair();
    Files.writeString(file, Pem.testOnlyKeyPair(keys), StandardCharsets.US_ASCII);
    return keys;
  }

  /** One vector per line, so a regenerated file diffs readably. */
  private static String vectorsJson(List<VectorCatalog.Vector> vectors) {
    StringBuilder json = new StringBuilder();
    json.append("{\"comment\":")
        .append(
            quote(
                "TEST-ONLY known-answer vectors, signed with keys committed to this"
                    + " repository. Generated by VectorGenerator; do not edit by hand."))
        .append(",\n\"clock\":")
        .append(quote(NOW.toString()))
        .append(",\n\"allowedIssuers\":[")
        .append(quote(TestVectors.ISSUER))
        .append("]")
        .append(",\n\"maxClockSkewSeconds\":")
        .append(MAX_CLOCK_SKEW_SECONDS)
        .append(",\n\"allowTestReceipts\":false")
        .append(",\n\"vectors\":[\n");
    for (int i = 0; i < vectors.size(); i++) {
      VectorCatalog.Vector v = vectors.get(i);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", v.name());
      entry.put("document", v.document());
      entry.put("expected", v.expected());
      entry.put("description", v.description());
      entry.put("token", v.token());
      json.append(JSONObjectUtils.toJSONString(entry))
          .append(i + 1 < vectors.size() ? ",\n" : "\n");
    }
    return json.append("]}\n").toString();
  }

  private static String quote(String value) {
    String object = JSONObjectUtils.toJSONString(Map.of("v", value)); // {"v":"..."}
    return object.substring(5, object.length() - 1);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
  }
}
