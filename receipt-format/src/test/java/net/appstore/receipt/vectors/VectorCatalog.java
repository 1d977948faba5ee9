package net.appstore.receipt.vectors;

import static net.appstore.receipt.testing.TestVectors.RS256_KID;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.appstore.receipt.testing.ReceiptFixture;

/**
 * Every known-answer vector: {@link PolicyVectors} (what {@code JosePolicy} refuses before any key
 * is involved) and {@link ContentVectors} (valid tokens, keys, trust, signatures, claims). Hostile
 * tokens are signed properly wherever possible, so each is refused by the check it targets and not
 * by an earlier accident.
 */
final class VectorCatalog {

  /** One vector; {@code expected} is {@code ok} or a {@code RejectionReason} name. */
  record Vector(String name, String document, String expected, String description, String token) {}

  /** Vectors of one document type and one expected outcome. */
  record Section(List<Vector> vectors, String document, String expected) {
    void add(String name, String description, String token) {
      vectors.add(new Vector(name, document, expected, description, token));
    }
  }

  static final String RECEIPT = "receipt";
  static final String BLOCKLIST = "blocklist";

  final Instant now;
  final Tokens tokens;
  final KeyPair attacker;
  final X509Certificate attackerCert;
  private final List<Vector> vectors = new ArrayList<>();

  VectorCatalog(
      Instant now, Map<String, KeyPair> keys, KeyPair attacker, X509Certificate attackerCert) {
    this.now = now;
    this.tokens = new Tokens(keys);
    this.attacker = attacker;
    this.attackerCert = attackerCert;
  }

  List<Vector> all() {
    ContentVectors content = new ContentVectors(this);
    PolicyVectors policy = new PolicyVectors(this);
    content.valid();
    policy.compactForm();
    policy.algorithms();
    policy.headers();
    content.keysAndTrust();
    content.signatures();
    content.claims();
    content.time();
    content.blocklists();
    policy.size();
    Set<String> names = new HashSet<>();
    for (Vector vector : vectors) {
      if (!names.add(vector.name())) {
        throw new IllegalStateException("duplicate vector name " + vector.name());
      }
    }
    return List.copyOf(vectors);
  }

  Section receipts(String expected) {
    return new Section(vectors, RECEIPT, expected);
  }

  Section blocklists(String expected) {
    return new Section(vectors, BLOCKLIST, expected);
  }

  /** The sample receipt, with a jti naming the vector. */
  ReceiptFixture receipt(String jti) {
    return ReceiptFixture.at(now).jti("vector-" + jti);
  }

  String payload(String jti) {
    return json(receipt(jti).claims());
  }

  /** A literal header and payload, properly signed with the RS256 key. */
  String rs256(String header, String payload) {
    return tokens.rawSigned(RS256_KID, header, payload);
  }

  static String json(Map<String, Object> object) {
    return JSONObjectUtils.toJSONString(object);
  }
}
