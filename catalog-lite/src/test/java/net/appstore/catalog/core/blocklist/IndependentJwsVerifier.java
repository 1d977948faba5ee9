package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * A client author's verification of the published blocklist, written from the JWS and JWK
 * specifications with the JDK and Jackson only: no Nimbus, no receipt-format, so it checks our JOSE
 * code rather than repeating it.
 */
final class IndependentJwsVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

  private IndependentJwsVerifier() {}

  /**
   * @return the verified payload
   * @throws AssertionError if anything does not hold
   */
  static JsonNode verify(String compactJws, String jwksJson) throws Exception {
    String[] parts = compactJws.split("\\.");
    if (parts.length != 3) {
      throw new AssertionError("not a compact JWS");
    }
    JsonNode header = JSON.readTree(B64URL.decode(parts[0]));
    if (!"RS256".equals(header.path("alg").asText())
        || !"blocklist+jwt".equals(header.path("typ").asText())) {
      throw new AssertionError("unexpected header " + header);
    }
    JsonNode jwk = null;
    for (JsonNode key : JSON.readTree(jwksJson).get("keys")) {
      if (key.path("kid").asText().equals(header.path("kid").asText())) {
        jwk = key;
      }
    }
    if (jwk == null || !"RSA".equals(jwk.path("kty").asText())) {
      throw new AssertionError("no RSA key " + header.path("kid") + " in the JWKS");
    }
    PublicKey key =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, B64URL.decode(jwk.get("n").asText())),
                    new BigInteger(1, B64URL.decode(jwk.get("e").asText()))));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    if (!rsa.verify(B64URL.decode(parts[2]))) {
      throw new AssertionError("signature does not verify");
    }
    return JSON.readTree(B64URL.decode(parts[1]));
  }
}
