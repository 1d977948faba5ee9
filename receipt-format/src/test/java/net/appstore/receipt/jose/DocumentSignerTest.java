package net.appstore.receipt.jose;

import static net.appstore.receipt.testing.TestVectors.BLOCKLIST_KID;
import static net.appstore.receipt.testing.TestVectors.ES256_KID;
import static net.appstore.receipt.testing.TestVectors.PS256_KID;
import static net.appstore.receipt.testing.TestVectors.RS256_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.security.Security;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.testing.ReceiptFixture;
import net.appstore.receipt.testing.TestVectors;
import net.appstore.receipt.verify.VerifiedBlocklist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentSignerTest {

  private static final TestVectors VECTORS = TestVectors.load();

  @ParameterizedTest
  @ValueSource(strings = {RS256_KID, PS256_KID, ES256_KID})
  void signReceipt_anyAllowedAlgorithm_writesOnlyAlgKidTyp(String kid) throws Exception {
    String token = signer(kid).signReceipt(receipt());

    String header = new Base64URL(token.substring(0, token.indexOf('.'))).decodeToString();
    assertThat(JSONObjectUtils.parse(header))
        .containsOnlyKeys("alg", "kid", "typ")
        .containsEntry("alg", pinnedAlgorithm(kid))
        .containsEntry("kid", kid)
        .containsEntry("typ", "receipt+jwt");
  }

  @ParameterizedTest
  @ValueSource(strings = {RS256_KID, PS256_KID, ES256_KID})
  void signReceipt_thenVerify_returnsTheSameReceipt(String kid) throws Exception {
    Receipt receipt = receipt();

    String token = signer(kid).signReceipt(receipt);

    assertThat(VECTORS.receiptVerifier().verify(token).receipt()).isEqualTo(receipt);
  }

  @Test
  void signReceipt_es256_emitsTheFixed64ByteJwsSignature() throws Exception {
    String token = signer(ES256_KID).signReceipt(receipt());

    assertThat(new Base64URL(token.substring(token.lastIndexOf('.') + 1)).decode()).hasSize(64);
  }

  @Test
  void signBlocklist_thenVerify_returnsItsClaims() throws Exception {
    JWTClaimsSet blocklist =
        new JWTClaimsSet.Builder()
            .issuer(TestVectors.ISSUER)
            .issueTime(Date.from(VECTORS.now().minusSeconds(10)))
            .claim("blocked", List.of("https://malware.example"))
            .build();

    VerifiedBlocklist verified =
        VECTORS.blocklistVerifier().verify(signer(BLOCKLIST_KID).signBlocklist(blocklist));

    assertThat(verified.claims().getStringListClaim("blocked"))
        .containsExactly("https://malware.example");
    assertThat(verified.issuer()).isEqualTo(TestVectors.ISSUER);
  }

  @Test
  void signBlocklist_withoutIat_throws() {
    JWTClaimsSet noIat = new JWTClaimsSet.Builder().issuer(TestVectors.ISSUER).build();

    assertThatThrownBy(() -> signer(BLOCKLIST_KID).signBlocklist(noIat))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signReceipt_tokenWouldExceedMaximum_throws() {
    Receipt huge =
        ReceiptFixture.at(VECTORS.now()).storedata("x".repeat(JosePolicy.MAX_TOKEN_CHARS)).build();

    assertThatThrownBy(() -> signer(RS256_KID).signReceipt(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16384");
  }

  @Test
  void signReceipt_explicitProvider_signsThroughIt() throws Exception {
    SigningKey key = VECTORS.signingKey(RS256_KID);
    SigningKey viaSunRsaSign =
        new SigningKey(
            key.kid(), key.algorithm(), key.privateKey(), Security.getProvider("SunRsaSign"));

    String token = new DocumentSigner(viaSunRsaSign).signReceipt(receipt());

    assertThat(VECTORS.receiptVerifier().verify(token).receipt().jti()).isEqualTo(receipt().jti());
  }

  @Test
  void signReceipt_providerLackingTheAlgorithm_failsWithSigningException() {
    // Proves the provider is really passed to Nimbus: SunEC cannot make RSA signatures.
    SigningKey key = VECTORS.signingKey(RS256_KID);
    SigningKey wrongProvider =
        new SigningKey(key.kid(), key.algorithm(), key.privateKey(), Security.getProvider("SunEC"));

    assertThatThrownBy(() -> new DocumentSigner(wrongProvider).signReceipt(receipt()))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(RS256_KID);
  }

  @Test
  void signingKey_keyOfOtherFamily_throws() {
    SigningKey ec = VECTORS.signingKey(ES256_KID);

    assertThatThrownBy(() -> new SigningKey("k", SigningAlgorithm.RS256, ec.privateKey(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signingKey_toString_showsNoKeyMaterial() {
    SigningKey key = VECTORS.signingKey(RS256_KID);
    String privateExponent =
        ((java.security.interfaces.RSAPrivateKey) key.privateKey()).getPrivateExponent().toString();

    assertThat(key.toString()).contains(RS256_KID).doesNotContain(privateExponent.substring(0, 20));
  }

  @Test
  void signReceipt_concurrentCallsOnOneSigner_allVerify() throws Exception {
    DocumentSigner signer = signer(ES256_KID);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> tokens = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Receipt receipt = ReceiptFixture.at(VECTORS.now()).jti("concurrent-" + i).build();
        tokens.add(pool.submit(() -> signer.signReceipt(receipt)));
      }
      for (int i = 0; i < tokens.size(); i++) {
        assertThat(VECTORS.receiptVerifier().verify(tokens.get(i).get()).receipt().jti())
            .isEqualTo("concurrent-" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Receipt receipt() {
    return ReceiptFixture.at(VECTORS.now()).build();
  }

  private static DocumentSigner signer(String kid) {
    return new DocumentSigner(VECTORS.signingKey(kid));
  }

  private static String pinnedAlgorithm(String kid) {
    return VECTORS.keySet().find(kid).orElseThrow().algorithm().name();
  }
}
