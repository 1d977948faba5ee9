package net.appstore.receipt.vectors;

import static net.appstore.receipt.testing.TestVectors.BLOCKLIST_KID;
import static net.appstore.receipt.testing.TestVectors.ES256_KID;
import static net.appstore.receipt.testing.TestVectors.EXPIRED_CERT_KID;
import static net.appstore.receipt.testing.TestVectors.PS256_KID;
import static net.appstore.receipt.testing.TestVectors.ROGUE_KID;
import static net.appstore.receipt.testing.TestVectors.RS256_KID;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.testing.RawJws;
import net.appstore.receipt.testing.TestVectors;
import net.appstore.receipt.vectors.VectorCatalog.Section;

/** Valid tokens, and tokens refused after the policy checks: key, trust, signature, claims. */
final class ContentVectors {

  private final VectorCatalog catalog;
  private final Tokens tokens;
  private final Instant now;

  ContentVectors(VectorCatalog catalog) {
    this.catalog = catalog;
    this.tokens = catalog.tokens;
    this.now = catalog.now;
  }

  void valid() {
    Section ok = catalog.receipts("ok");
    ok.add("rs256-purchase-receipt", "RS256, from DocumentSigner", rs256(receipt("rs256")));
    ok.add(
        "ps256-purchase-receipt",
        "PS256, from DocumentSigner",
        tokens.signed(PS256_KID, receipt("ps256")));
    String es256 = tokens.signed(ES256_KID, receipt("es256"));
    ok.add("es256-purchase-receipt", "ES256, from DocumentSigner (DER transcoded)", es256);
    ok.add(
        "es256-high-s-malleated",
        "es256-purchase-receipt with s := n - s: also valid, other bytes."
            + " A receipt's identity is its jti, never the token bytes",
        Tokens.highS(es256));
    ok.add(
        "rs256-developer-receipt",
        "developer receipts are accepted by default",
        rs256(catalog.receipt("developer").typ(ReceiptType.DEVELOPER).build()));
    ok.add(
        "rs256-reviewer-receipt",
        "reviewer receipts are accepted by default",
        rs256(catalog.receipt("reviewer").typ(ReceiptType.REVIEWER).build()));
    Instant whileValid = Instant.parse("2020-06-01T00:00:00Z");
    Receipt old = catalog.receipt("old").nbf(whileValid.minusSeconds(60)).iat(whileValid).build();
    ok.add(
        "certificate-expired-since-iat",
        "certificates are checked at iat: signed while its certificate was valid, still valid",
        tokens.signed(EXPIRED_CERT_KID, old));
  }

  void keysAndTrust() {
    String payload = catalog.payload("keys");
    catalog
        .receipts("UNKNOWN_KEY")
        .add(
            "kid-unknown",
            "kid not in the JWKS",
            catalog.rs256(Tokens.header("RS256", "test-only-unpublished", "receipt+jwt"), payload));
    Section mismatch = catalog.receipts("ALG_MISMATCH");
    mismatch.add(
        "alg-mismatch-rs256-on-ps256-key",
        "RS256 signature by the key pinned to PS256",
        raw("RS256", PS256_KID, payload, "SHA256withRSA", PS256_KID));
    mismatch.add(
        "alg-mismatch-ps256-on-rs256-key",
        "PS256 signature by the key pinned to RS256",
        raw("PS256", RS256_KID, payload, "PS256", RS256_KID));
    mismatch.add(
        "alg-mismatch-es256-on-rs256-key",
        "ES256 header naming the RSA key",
        raw("ES256", RS256_KID, payload, "SHA256withECDSA", ES256_KID));
    Section untrusted = catalog.receipts("UNTRUSTED_KEY");
    untrusted.add(
        "key-not-chained-to-root",
        "published key certified by another root",
        tokens.signed(ROGUE_KID, receipt("rogue")));
    untrusted.add(
        "key-certificate-expired-at-iat",
        "published key whose certificate expired before iat",
        tokens.signed(EXPIRED_CERT_KID, receipt("expired-cert")));
  }

  void signatures() {
    String[] s = rs256(receipt("signature")).split("\\.");
    String changedPayload =
        RawJws.base64Url(
            VectorCatalog.json(catalog.receipt("signature").storedata("id=9999").claims()));
    Section bad = catalog.receipts("BAD_SIGNATURE");
    bad.add(
        "tampered-payload",
        "storedata changed after signing",
        s[0] + "." + changedPayload + "." + s[2]);
    bad.add(
        "tampered-signature", "one bit flipped", s[0] + "." + s[1] + "." + Tokens.flipBit(s[2]));
    bad.add(
        "signed-by-another-key",
        "kid of one key, signature of another",
        raw("RS256", RS256_KID, catalog.payload("signature"), "SHA256withRSA", BLOCKLIST_KID));
    String es256 = tokens.signed(ES256_KID, receipt("es256-signature"));
    String input = es256.substring(0, es256.lastIndexOf('.') + 1);
    byte[] n = Tokens.P256_ORDER;
    bad.add(
        "es256-signature-r0-s0",
        "r = s = 0 (CVE-2022-21449)",
        input + RawJws.base64Url(new byte[64]));
    bad.add("es256-signature-r0", "r = 0, real s", input + Tokens.zeroR(es256));
    bad.add(
        "es256-signature-r-s-equal-n", "r = s = n", input + RawJws.base64Url(Tokens.concat(n, n)));
    bad.add(
        "es256-signature-der-encoded",
        "ASN.1 DER signature instead of R||S",
        input
            + RawJws.base64Url(
                Tokens.derSignature(
                    input.substring(0, input.length() - 1),
                    tokens.keyPair(ES256_KID).getPrivate())));
  }

  void claims() {
    catalog
        .receipts("TYPE_NOT_ALLOWED")
        .add(
            "claim-typ-test-receipt",
            "test receipts are refused by default",
            rs256(catalog.receipt("test").typ(ReceiptType.TEST).build()));
    catalog
        .receipts("WRONG_ISSUER")
        .add(
            "claim-iss-wrong",
            "issuer not on the allowlist",
            rs256(catalog.receipt("iss").iss("https://evil.example").build()));
    claim("claim-typ-unknown", "WRONG_TYPE", "typ claim purchase", "typ", "purchase");
    claim("claim-jti-missing", "MALFORMED_CLAIMS", "no jti", "jti", null);
    claim("claim-iat-missing", "MALFORMED_CLAIMS", "no iat", "iat", null);
    long tomorrow = now.plus(Duration.ofDays(1)).getEpochSecond();
    claim("claim-exp-string", "MALFORMED_CLAIMS", "exp as a string", "exp", "" + tomorrow);
    claim("claim-product-missing", "MALFORMED_CLAIMS", "no product", "product", null);
    claim(
        "claim-user-type-wrong",
        "MALFORMED_CLAIMS",
        "user type email",
        "user",
        ordered("type", "email", "value", "a3f9c0d2e1b4"));
    claim(
        "claim-verify-relative-url", "MALFORMED_CLAIMS", "relative verify", "verify", "/v1/verify");
    long beforeIat = now.minus(Duration.ofHours(1)).minusSeconds(1).getEpochSecond();
    claim("claim-exp-before-iat", "MALFORMED_CLAIMS", "exp a second before iat", "exp", beforeIat);
  }

  void time() {
    Duration skew = Duration.ofSeconds(VectorGenerator.MAX_CLOCK_SKEW_SECONDS);
    Instant longAgo = now.minus(Duration.ofDays(200));
    Section expired = catalog.receipts("EXPIRED");
    expired.add(
        "expired",
        "exp a day ago",
        rs256(
            catalog
                .receipt("expired")
                .nbf(longAgo)
                .iat(longAgo)
                .exp(now.minus(Duration.ofDays(1)))
                .build()));
    expired.add(
        "expired-exactly-now",
        "exp equals the clock: expired",
        rs256(catalog.receipt("expired-now").exp(now).build()));
    Section ok = catalog.receipts("ok");
    ok.add(
        "exp-one-second-after-now",
        "exp a second after the clock: valid",
        rs256(catalog.receipt("exp-next-second").exp(now.plusSeconds(1)).build()));
    ok.add(
        "nbf-at-skew-limit",
        "nbf exactly the allowed skew ahead",
        rs256(catalog.receipt("nbf-skew").nbf(now.plus(skew)).build()));
    ok.add(
        "iat-at-skew-limit",
        "iat exactly the allowed skew ahead",
        rs256(catalog.receipt("iat-skew").iat(now.plus(skew)).build()));
    Section early = catalog.receipts("NOT_YET_VALID");
    Instant beyond = now.plus(skew).plusSeconds(1);
    early.add(
        "nbf-beyond-skew",
        "nbf a second beyond the skew",
        rs256(catalog.receipt("nbf-future").nbf(beyond).build()));
    early.add(
        "iat-beyond-skew",
        "iat a second beyond the skew",
        rs256(catalog.receipt("iat-future").iat(beyond).build()));
  }

  void blocklists() {
    String blocklist = tokens.blocklist(blocklistClaims());
    catalog.blocklists("ok").add("blocklist", "signed by the blocklist key", blocklist);
    catalog
        .receipts("WRONG_TYPE")
        .add("blocklist-token-as-receipt", "a blocklist is not a receipt", blocklist);
    catalog
        .blocklists("WRONG_TYPE")
        .add("receipt-token-as-blocklist", "a receipt is not a blocklist", rs256(receipt("as-bl")));
    Map<String, Object> wrongIssuer = blocklistClaims();
    wrongIssuer.put("iss", "https://evil.example");
    catalog
        .blocklists("WRONG_ISSUER")
        .add("blocklist-wrong-issuer", "issuer not allowed", tokens.blocklist(wrongIssuer));
    Map<String, Object> expired = blocklistClaims();
    expired.put("exp", now.getEpochSecond());
    catalog
        .blocklists("EXPIRED")
        .add("blocklist-expired-exactly-now", "exp equals the clock", tokens.blocklist(expired));
    Map<String, Object> noIat = blocklistClaims();
    noIat.remove("iat");
    String header = Tokens.header("RS256", BLOCKLIST_KID, "blocklist+jwt");
    catalog
        .blocklists("MALFORMED_CLAIMS")
        .add(
            "blocklist-iat-missing",
            "a blocklist needs iat",
            tokens.rawSigned(BLOCKLIST_KID, header, VectorCatalog.json(noIat)));
  }

  private Map<String, Object> blocklistClaims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", TestVectors.ISSUER);
    claims.put("iat", now.minus(Duration.ofHours(1)).getEpochSecond());
    claims.put("exp", now.plus(Duration.ofDays(7)).getEpochSecond());
    claims.put("jti", "vector-blocklist");
    claims.put("blocked", List.of(ordered("url", "https://malware.example", "reason", "example")));
    return claims;
  }

  /** A two-member JSON object in a fixed order (Map.of's order changes between runs). */
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put(k1, v1);
    object.put(k2, v2);
    return object;
  }

  /** The sample receipt with one claim replaced ({@code value}) or removed ({@code null}). */
  private void claim(String name, String expected, String description, String claim, Object value) {
    Map<String, Object> claims = catalog.receipt(name).claims();
    if (value == null) {
      claims.remove(claim);
    } else {
      claims.put(claim, value);
    }
    String header = Tokens.header("RS256", RS256_KID, "receipt+jwt");
    catalog
        .receipts(expected)
        .add(name, description, catalog.rs256(header, VectorCatalog.json(claims)));
  }

  private Receipt receipt(String jti) {
    return catalog.receipt(jti).build();
  }

  private String rs256(Receipt receipt) {
    return tokens.signed(RS256_KID, receipt);
  }

  /**
   * Header {@code alg}/{@code kid} as given, signed by {@code signerKid}'s key with {@code jca}.
   */
  private String raw(String alg, String kid, String payload, String jca, String signerKid) {
    return RawJws.sign(
        Tokens.header(alg, kid, "receipt+jwt"),
        payload,
        jca,
        tokens.keyPair(signerKid).getPrivate());
  }
}
