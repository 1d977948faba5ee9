package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;

/**
 * A client author's verification of the published blocklist with jose4j, a JOSE implementation that
 * shares no code with Nimbus (which the signer and the publisher use), so it checks our JOSE output
 * rather than repeating our code: JWKS parsing, key selection by {@code kid}, RS256 only, the
 * signature, and optionally that the key's {@code x5c} leaf is issued by the pinned root and
 * certifies that very key.
 */
final class IndependentJwsVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private IndependentJwsVerifier() {}

  /**
   * @return the verified payload
   * @throws AssertionError if anything does not hold
   */
  static JsonNode verify(String compactJws, String jwksJson) throws Exception {
    return verify(compactJws, jwksJson, null);
  }

  /**
   * @param pinnedRoot the root the key's certificate must be issued by; null skips that check
   */
  static JsonNode verify(String compactJws, String jwksJson, X509Certificate pinnedRoot)
      throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setAlgorithmConstraints(
        new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256));
    jws.setCompactSerialization(compactJws);
    if (!"blocklist+jwt".equals(jws.getHeader("typ"))) {
      throw new AssertionError("unexpected typ " + jws.getHeader("typ"));
    }
    List<JsonWebKey> keys = new JsonWebKeySet(jwksJson).getJsonWebKeys();
    JsonWebKey key = new VerificationJwkSelector().select(jws, keys);
    if (key == null) {
      throw new AssertionError("no key for kid " + jws.getKeyIdHeaderValue() + " in the JWKS");
    }
    if (pinnedRoot != null) {
      requireIssuedByPinnedRoot((PublicJsonWebKey) key, pinnedRoot);
    }
    jws.setKey(key.getKey());
    if (!jws.verifySignature()) {
      throw new AssertionError("signature does not verify");
    }
    return JSON.readTree(jws.getPayload());
  }

  private static void requireIssuedByPinnedRoot(PublicJsonWebKey key, X509Certificate root)
      throws Exception {
    X509Certificate leaf = key.getLeafCertificate();
    if (leaf == null) {
      throw new AssertionError("key " + key.getKeyId() + " has no x5c");
    }
    if (!leaf.getPublicKey().equals(key.getPublicKey())) {
      throw new AssertionError("x5c leaf of " + key.getKeyId() + " certifies another key");
    }
    leaf.verify(root.getPublicKey()); // throws SignatureException if another CA issued it
    leaf.checkValidity();
  }
}
