package net.appstore.receipt.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.RejectionReason;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.SigningKey;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.InvalidKeySetException;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.receipt.verify.BlocklistVerifier;
import net.appstore.receipt.verify.ReceiptVerifier;
import net.appstore.receipt.verify.VerifierSettings;

/**
 * Loads the known-answer vectors from the classpath ({@code /vectors/}, also shipped in {@code
 * receipt-format}'s test-jar), so every module checks itself against the same data:
 *
 * <pre>{@code
 * TestVectors vectors = TestVectors.load();
 * for (TestVectors.Vector v : vectors.vectors()) { ... v.token() ... v.expected() ... }
 * ReceiptVerifier verifier = vectors.receiptVerifier(); // fixed clock, JWKS and root
 * }</pre>
 *
 * <p>The private keys it hands out are TEST-ONLY: they are committed to the repository, so anything
 * they sign proves nothing outside tests. Needs no Bouncy Castle.
 */
public final class TestVectors {

  /** The issuer of every vector meant to pass the issuer check. */
  public static final String ISSUER = "https://store.example";

  /** Key ids in {@code jwks.json}. */
  public static final String RS256_KID = "test-only-rs256";

  public static final String PS256_KID = "test-only-ps256";
  public static final String ES256_KID = "test-only-es256";
  public static final String BLOCKLIST_KID = "test-only-blocklist-rs256";

  /** Published, but its certificate chains to another root. */
  public static final String ROGUE_KID = "test-only-rogue-rs256";

  /** Published, but its certificate expired before the vectors' {@code iat}. */
  public static final String EXPIRED_CERT_KID = "test-only-expired-cert-rs256";

  private static final String ROOT = "/vectors/";

  private final Instant now;
  private final VerifierSettings settings;
  private final PublishedKeySet keySet;
  private final X509Certificate root;
  private final List<Vector> vectors;

  private TestVectors(
      Instant now,
      VerifierSettings settings,
      PublishedKeySet keySet,
      X509Certificate root,
      List<Vector> vectors) {
    this.now = now;
    this.settings = settings;
    this.keySet = keySet;
    this.root = root;
    this.vectors = List.copyOf(vectors);
  }

  /**
   * One vector.
   *
   * @param document {@code receipt} or {@code blocklist}: which verifier it is meant for
   * @param expected empty if the token must verify, else the reason it must be rejected with
   */
  public record Vector(
      String name,
      String document,
      String description,
      String token,
      Optional<RejectionReason> expected) {

    public boolean isReceipt() {
      return "receipt".equals(document);
    }

    @Override
    public String toString() {
      return name; // Never the token: test reports should not carry whole tokens.
    }
  }

  public static TestVectors load() {
    try {
      Map<String, Object> json = JSONObjectUtils.parse(read("receipt-vectors.json"));
      Instant now = Instant.parse(JSONObjectUtils.getString(json, "clock"));
      VerifierSettings settings =
          VerifierSettings.forIssuers(
                  Set.copyOf(JSONObjectUtils.getStringList(json, "allowedIssuers")))
              .withMaxClockSkew(
                  Duration.ofSeconds(JSONObjectUtils.getLong(json, "maxClockSkewSeconds")));
      if (JSONObjectUtils.getBoolean(json, "allowTestReceipts")) {
        settings = settings.allowingTestReceipts();
      }
      List<Vector> vectors = new ArrayList<>();
      for (Map<String, Object> v : JSONObjectUtils.getJSONObjectArray(json, "vectors")) {
        String expected = JSONObjectUtils.getString(v, "expected");
        vectors.add(
            new Vector(
                JSONObjectUtils.getString(v, "name"),
                JSONObjectUtils.getString(v, "document"),
                JSONObjectUtils.getString(v, "description"),
                JSONObjectUtils.getString(v, "token"),
                "ok".equals(expected)
                    ? Optional.empty()
                    : Optional.of(RejectionReason.valueOf(expected))));
      }
      return new TestVectors(
          now,
          settings,
          PublishedKeySet.parse(read("jwks.json")),
          CertificateChainValidator.readPemCertificate(read("root.pem")),
          vectors);
    } catch (ParseException | InvalidKeySetException e) {
      throw new IllegalStateException("the committed vectors do not parse", e);
    }
  }

  public List<Vector> vectors() {
    return vectors;
  }

  public Vector vector(String name) {
    return vectors.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vector " + name));
  }

  /** The vector's expectation in {@link #outcome} form. */
  public static String expectedOutcome(Vector vector) {
    return vector.expected().map(Enum::name).orElse("ok");
  }

  /** The instant every vector was made for. */
  public Instant now() {
    return now;
  }

  public Clock clock() {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  /** Allowed issuers, default receipt types (no test receipts), skew. */
  public VerifierSettings settings() {
    return settings;
  }

  public PublishedKeySet keySet() {
    return keySet;
  }

  /** The TEST-ONLY root certificate the vectors' keys chain to. */
  public X509Certificate root() {
    return root;
  }

  public CertificateChainValidator chainValidator() {
    return new CertificateChainValidator(root);
  }

  public ReceiptVerifier receiptVerifier() {
    return new ReceiptVerifier(keySet, chainValidator(), settings, clock());
  }

  public BlocklistVerifier blocklistVerifier() {
    return new BlocklistVerifier(keySet, chainValidator(), settings, clock());
  }

  /**
   * Runs {@code vector} through this module's verifier for its document type: {@code "ok"} or the
   * rejection reason's name, comparable with the vector's expectation.
   */
  public String outcome(Vector vector) {
    try {
      if (vector.isReceipt()) {
        receiptVerifier().verify(vector.token());
      } else {
        blocklistVerifier().verify(vector.token());
      }
      return "ok";
    } catch (ReceiptRejectedException e) {
      return e.reason().name();
    } catch (KeySourceUnavailableException e) {
      throw new AssertionError("a fixed key set is never unavailable", e);
    }
  }

  /** The TEST-ONLY private key of a published kid, as a software signing key. */
  public SigningKey signingKey(String kid) {
    PublishedKey published =
        keySet.find(kid).orElseThrow(() -> new IllegalArgumentException("no key " + kid));
    return new SigningKey(
        kid, published.algorithm(), keyPair(kid, published.algorithm()).getPrivate(), null);
  }

  /** Reads the TEST-ONLY key pair {@code test-only-keys/<name>.pem}. */
  public static KeyPair keyPair(String name, SigningAlgorithm algorithm) {
    return Pem.readKeyPair(
        read("test-only-keys/" + name + ".pem"),
        algorithm == SigningAlgorithm.ES256 ? "EC" : "RSA");
  }

  private static String read(String file) {
    try (InputStream in = TestVectors.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + ROOT + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
