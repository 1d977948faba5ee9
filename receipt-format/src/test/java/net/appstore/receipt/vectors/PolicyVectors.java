package net.appstore.receipt.vectors;

import static net.appstore.receipt.testing.TestVectors.RS256_KID;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import net.appstore.receipt.jose.JosePolicy;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.testing.Pem;
import net.appstore.receipt.testing.RawJws;
import net.appstore.receipt.vectors.VectorCatalog.Section;

/** Vectors refused by the policy checks: size, compact form, algorithm, header. */
final class PolicyVectors {

  /** {@code "alg":"RS256","kid":"test-only-rs256"}: a header missing only its typ. */
  private static final String ALG_KID = "\"alg\":\"RS256\",\"kid\":\"" + RS256_KID + "\"";

  private static final String TYP = "\"typ\":\"receipt+jwt\"";
  private static final String GOOD_HEADER = "{" + ALG_KID + "," + TYP + "}";

  private final VectorCatalog catalog;

  PolicyVectors(VectorCatalog catalog) {
    this.catalog = catalog;
  }

  void compactForm() {
    String good = catalog.tokens.signed(RS256_KID, catalog.receipt("compact").build());
    String[] s = good.split("\\.");
    String payload = catalog.payload("compact");
    Section decoding = catalog.receipts("ERROR_DECODING");
    decoding.add("empty-token", "empty string", "");
    decoding.add("segments-two", "header.payload", s[0] + "." + s[1]);
    decoding.add("segments-four", "a fourth segment", good + "." + s[2]);
    decoding.add("segments-five", "five segments, like JWE", good + "." + s[1] + "." + s[2]);
    decoding.add("segments-empty", "three empty segments", "..");
    decoding.add("signature-empty", "empty signature segment", s[0] + "." + s[1] + ".");
    decoding.add("trailing-space", "valid token plus a space", good + " ");
    decoding.add("trailing-newline", "valid token plus a newline", good + "\n");
    decoding.add("leading-space", "a space, then a valid token", " " + good);
    decoding.add(
        "whitespace-inside", "newline after the first dot", s[0] + ".\n" + s[1] + "." + s[2]);
    decoding.add("base64-padding", "signature with = padding", good + "==");
    decoding.add("base64-standard-alphabet", "+ and / for - and _", Tokens.standardAlphabet(good));
    decoding.add(
        "base64-non-canonical",
        "unused trailing bits set: same bytes, another spelling, refused",
        Tokens.nonCanonical(good));
    decoding.add("header-not-json", "header is not JSON", catalog.rs256("alg=RS256", payload));
    decoding.add("header-json-array", "header is an array", catalog.rs256("[\"RS256\"]", payload));
    decoding.add(
        "header-duplicate-alg",
        "alg twice: none, then RS256",
        catalog.rs256("{\"alg\":\"none\"," + ALG_KID + "," + TYP + "}", payload));
    decoding.add("payload-not-json", "signed non-JSON payload", catalog.rs256(GOOD_HEADER, "hi"));
  }

  void algorithms() {
    String payload = catalog.payload("alg");
    String signature = catalog.rs256(GOOD_HEADER, payload).split("\\.")[2];
    catalog
        .receipts("ERROR_DECODING")
        .add(
            "alg-none-unsigned",
            "alg none, empty signature",
            Tokens.unsigned(Tokens.header("none", RS256_KID, "receipt+jwt"), payload) + ".");
    Section refused = catalog.receipts("ALG_NOT_ALLOWED");
    for (String none : List.of("none", "None", "NONE", "nOnE")) {
      String unsigned = Tokens.unsigned(Tokens.header(none, RS256_KID, "receipt+jwt"), payload);
      refused.add(
          "alg-" + none, "alg " + none + ", borrowed signature", unsigned + "." + signature);
    }
    refused.add(
        "alg-rs256-lowercase",
        "alg names are case-sensitive",
        catalog.rs256(Tokens.header("rs256", RS256_KID, "receipt+jwt"), payload));
    refused.add(
        "alg-missing",
        "no alg",
        catalog.rs256("{\"kid\":\"" + RS256_KID + "\"," + TYP + "}", payload));
    refused.add(
        "alg-not-a-string",
        "alg is a number",
        catalog.rs256("{\"alg\":256,\"kid\":\"" + RS256_KID + "\"," + TYP + "}", payload));
    String hs256 = Tokens.header("HS256", RS256_KID, "receipt+jwt");
    byte[] der = catalog.tokens.keyPair(RS256_KID).getPublic().getEncoded();
    String pem = Pem.testOnlyKeyPair(catalog.tokens.keyPair(RS256_KID));
    byte[] pemPublic =
        pem.substring(pem.indexOf("-----BEGIN PUBLIC")).getBytes(StandardCharsets.US_ASCII);
    refused.add(
        "alg-hs256-keyed-with-public-key-der",
        "HMAC keyed with the RSA public key (SPKI DER): key confusion",
        RawJws.hs256(hs256, payload, der));
    refused.add(
        "alg-hs256-keyed-with-public-key-pem",
        "HMAC keyed with the RSA public key (PEM text): key confusion",
        RawJws.hs256(hs256, payload, pemPublic));
    refused.add(
        "alg-rs384",
        "RS384 properly signed with the RS256 key",
        RawJws.sign(
            Tokens.header("RS384", RS256_KID, "receipt+jwt"),
            payload,
            "SHA384withRSA",
            catalog.tokens.keyPair(RS256_KID).getPrivate()));
  }

  void headers() {
    String payload = catalog.payload("header");
    String attackerJwk =
        new PublishedKey(
                "attacker",
                SigningAlgorithm.RS256,
                catalog.attacker.getPublic(),
                List.of(catalog.attackerCert))
            .toJwk()
            .toJSONString();
    Section forbidden = catalog.receipts("FORBIDDEN_HEADER");
    forbidden.add(
        "header-jwk",
        "attacker's jwk, signed by the attacker",
        byAttacker("\"jwk\":" + attackerJwk));
    forbidden.add(
        "header-jku",
        "jku at the attacker, signed by the attacker",
        byAttacker("\"jku\":\"https://attacker.example/jwks.json\""));
    forbidden.add(
        "header-x5u",
        "x5u at the attacker, signed by the attacker",
        byAttacker("\"x5u\":\"https://attacker.example/cert.pem\""));
    forbidden.add(
        "header-x5c",
        "attacker's certificate, signed by the attacker",
        byAttacker("\"x5c\":[\"" + der(catalog.attackerCert) + "\"]"));
    forbidden.add("header-crit", "crit", withGoodHeader("\"crit\":[\"exp\"],\"exp\":1", payload));
    forbidden.add(
        "header-b64-false",
        "RFC 7797 unencoded payload",
        withGoodHeader("\"b64\":false,\"crit\":[\"b64\"]", payload));
    forbidden.add(
        "header-cty", "cty JWT (nested token)", withGoodHeader("\"cty\":\"JWT\"", payload));
    forbidden.add(
        "header-unknown-parameter",
        "any parameter beyond alg, kid, typ",
        withGoodHeader("\"trace\":\"1\"", payload));

    Section wrongType = catalog.receipts("WRONG_TYPE");
    wrongType.add("header-typ-jwt", "typ JWT", catalog.rs256(typ("\"JWT\""), payload));
    wrongType.add("header-typ-missing", "no typ", catalog.rs256("{" + ALG_KID + "}", payload));
    wrongType.add(
        "header-typ-uppercase", "typ is exact", catalog.rs256(typ("\"RECEIPT+JWT\""), payload));
    wrongType.add(
        "header-typ-application-prefix",
        "typ is exact",
        catalog.rs256(typ("\"application/receipt+jwt\""), payload));

    String algTyp = "{\"alg\":\"RS256\"," + TYP;
    Section noKid = catalog.receipts("MISSING_KEY_ID");
    noKid.add("kid-missing", "no kid", catalog.rs256(algTyp + "}", payload));
    noKid.add("kid-empty", "kid is empty", catalog.rs256(algTyp + ",\"kid\":\"\"}", payload));
    noKid.add(
        "kid-not-a-string", "kid is a number", catalog.rs256(algTyp + ",\"kid\":7}", payload));
  }

  void size() {
    int max = JosePolicy.MAX_TOKEN_CHARS;
    catalog
        .receipts("ok")
        .add(
            "max-size-token",
            "exactly JosePolicy.MAX_TOKEN_CHARS characters",
            catalog.tokens.rawSignedOfLength(catalog.receipt("max-size"), max));
    catalog
        .receipts("TOO_LARGE")
        .add(
            "oversized-token",
            "one character over the maximum, validly signed",
            catalog.tokens.rawSignedOfLength(catalog.receipt("oversized"), max + 1));
  }

  private String byAttacker(String member) {
    return RawJws.sign(
        "{" + ALG_KID + "," + TYP + "," + member + "}",
        catalog.payload("header"),
        "SHA256withRSA",
        catalog.attacker.getPrivate());
  }

  private String withGoodHeader(String members, String payload) {
    return catalog.rs256("{" + ALG_KID + "," + TYP + "," + members + "}", payload);
  }

  private static String typ(String value) {
    return "{" + ALG_KID + ",\"typ\":" + value + "}";
  }

  private static String der(X509Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
