package net.appstore.receipt.keys;

import static net.appstore.receipt.testing.TestVectors.ES256_KID;
import static net.appstore.receipt.testing.TestVectors.RS256_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;

class PublishedKeySetTest {

  private static final TestVectors VECTORS = TestVectors.load();

  @Test
  void parse_ofToJson_returnsEqualKeys() throws Exception {
    PublishedKeySet keys = VECTORS.keySet();

    assertThat(PublishedKeySet.parse(keys.toJson()).keys()).isEqualTo(keys.keys());
  }

  @Test
  void toJson_everyKey_hasKidAlgUseSigAndX5cOnly() throws Exception {
    for (Map<String, Object> jwk : jwks()) {
      assertThat(jwk).containsEntry("use", "sig").containsKeys("kid", "alg", "x5c");
      assertThat(jwk).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "key_ops");
    }
  }

  @Test
  void find_publishedKid_returnsKeyWithPinnedAlgorithm() {
    assertThat(VECTORS.keySet().find(ES256_KID))
        .hasValueSatisfying(k -> assertThat(k.algorithm()).isEqualTo(SigningAlgorithm.ES256));
    assertThat(VECTORS.keySet().find("nope")).isEmpty();
  }

  @Test
  void parse_keyWithoutAlg_isRefused() {
    assertRefused(jwk -> jwk.remove("alg"), "alg");
  }

  @Test
  void parse_keyWithDisallowedAlg_isRefused() {
    assertRefused(jwk -> jwk.put("alg", "RS512"), "alg");
  }

  @Test
  void parse_algThatDoesNotFitTheKeyType_isRefused() {
    assertRefused(jwk -> jwk.put("alg", "ES256"), "kty does not fit");
  }

  @Test
  void parse_keyForEncryption_isRefused() {
    assertRefused(jwk -> jwk.put("use", "enc"), "use");
  }

  @Test
  void parse_keyWithKeyOps_isRefused() {
    assertRefused(jwk -> jwk.put("key_ops", List.of("verify")), "key_ops");
  }

  @Test
  void parse_keyWithoutX5c_isRefused() {
    assertRefused(jwk -> jwk.remove("x5c"), "x5c");
  }

  @Test
  void parse_keyWithoutKid_isRefused() {
    assertRefused(jwk -> jwk.remove("kid"), "kid");
  }

  @Test
  void parse_privateKeyMaterial_isRefused() {
    // The private exponent of a real key is not needed: its mere presence must be refused.
    assertRefused(jwk -> jwk.put("d", jwk.get("n")), "private");
  }

  @Test
  void parse_unknownKeyType_isRefusedNotSkipped() throws Exception {
    List<Map<String, Object>> keys = jwks();
    keys.add(Map.of("kty", "oct", "kid", "hmac", "k", "c2VjcmV0"));

    assertThatThrownBy(() -> PublishedKeySet.parse(jwks(keys)))
        .isInstanceOf(InvalidKeySetException.class);
  }

  @Test
  void parse_duplicateKid_isRefused() throws Exception {
    List<Map<String, Object>> keys = jwks();
    keys.add(keys.get(0));

    assertThatThrownBy(() -> PublishedKeySet.parse(jwks(keys)))
        .isInstanceOf(InvalidKeySetException.class)
        .hasMessageContaining("duplicate");
  }

  @Test
  void parse_notAJwks_isRefused() {
    assertThatThrownBy(() -> PublishedKeySet.parse("{\"kids\":[]}"))
        .isInstanceOf(InvalidKeySetException.class);
    assertThatThrownBy(() -> PublishedKeySet.parse("[]"))
        .isInstanceOf(InvalidKeySetException.class);
  }

  /** Applies {@code change} to the RS256 key of the committed set and expects a refusal. */
  private static void assertRefused(Consumer<Map<String, Object>> change, String message) {
    List<Map<String, Object>> keys = jwks();
    keys.stream().filter(k -> RS256_KID.equals(k.get("kid"))).forEach(change);

    assertThatThrownBy(() -> PublishedKeySet.parse(jwks(keys)))
        .isInstanceOf(InvalidKeySetException.class)
        .hasMessageContaining(message);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> jwks() {
    try {
      return (List<Map<String, Object>>)
          (List<?>)
              JSONObjectUtils.getJSONArray(
                  JSONObjectUtils.parse(VECTORS.keySet().toJson()), "keys");
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private static String jwks(List<Map<String, Object>> keys) {
    return JSONObjectUtils.toJSONString(Map.of("keys", keys));
  }
}
