package net.appstore.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Map;
import net.appstore.receipt.testing.ReceiptFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiptClaimsTest {

  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");

  @ParameterizedTest
  @EnumSource(ReceiptType.class)
  void fromClaimsSet_ofToClaimsSet_returnsEqualReceipt(ReceiptType type) throws Exception {
    Receipt receipt = ReceiptFixture.at(NOW).typ(type).build();

    assertThat(ReceiptClaims.fromClaimsSet(ReceiptClaims.toClaimsSet(receipt))).isEqualTo(receipt);
  }

  @Test
  void toClaimsSet_receipt_writesTheWebApplicationReceiptShape() {
    Map<String, Object> json =
        ReceiptClaims.toClaimsSet(ReceiptFixture.at(NOW).exp(NOW.plusSeconds(60)).build())
            .toJSONObject();

    assertThat(json)
        .containsEntry("typ", "purchase-receipt")
        .containsEntry("product", Map.of("url", "https://chess.example", "storedata", "id=1042"))
        .containsEntry("user", Map.of("type", "directed-identifier", "value", "a3f9c0d2e1b4"))
        .containsEntry("iss", "https://store.example")
        .containsEntry("exp", NOW.getEpochSecond() + 60)
        .containsKeys("nbf", "iat", "jti", "verify", "reissue", "detail");
  }

  @Test
  void fromClaimsSet_unknownTyp_rejectsWithWrongType() {
    Map<String, Object> json = claims();
    json.put("typ", "purchase");

    assertThat(reasonFor(json)).isEqualTo(RejectionReason.WRONG_TYPE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "typ", "product", "user", "iss", "nbf", "iat", "exp", "jti", "verify", "reissue", "detail"
      })
  void fromClaimsSet_missingClaim_rejectsWithMalformedClaims(String claim) {
    Map<String, Object> json = claims();
    json.remove(claim);

    assertThat(reasonFor(json)).isEqualTo(RejectionReason.MALFORMED_CLAIMS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"typ", "product", "user", "iss", "jti", "verify", "reissue", "detail"})
  void fromClaimsSet_claimOfWrongJsonType_rejectsWithMalformedClaims(String claim) {
    Map<String, Object> json = claims();
    json.put(claim, 42L);

    assertThat(reasonFor(json)).isEqualTo(RejectionReason.MALFORMED_CLAIMS);
  }

  @Test
  void fromClaimsSet_userOfAnotherType_rejectsWithMalformedClaims() {
    Map<String, Object> json = claims();
    json.put("user", Map.of("type", "email", "value", "a3f9c0d2e1b4"));

    assertThat(reasonFor(json)).isEqualTo(RejectionReason.MALFORMED_CLAIMS);
  }

  @Test
  void fromClaimsSet_productWithoutStoredata_rejectsWithMalformedClaims() {
    Map<String, Object> json = claims();
    json.put("product", Map.of("url", "https://chess.example"));

    assertThat(reasonFor(json)).isEqualTo(RejectionReason.MALFORMED_CLAIMS);
  }

  @Test
  void fromClaimsSet_unparseableUrl_rejectsWithoutEchoingIt() {
    Map<String, Object> json = claims();
    json.put("detail", "https://exa mple/<script>");

    ReceiptRejectedException e = rejection(json);

    assertThat(e.reason()).isEqualTo(RejectionReason.MALFORMED_CLAIMS);
    assertThat(e.getMessage()).contains("detail").doesNotContain("script");
  }

  @Test
  void fromClaimsSet_unknownExtraClaim_isIgnored() throws Exception {
    Map<String, Object> json = claims();
    json.put("price", Map.of("amount", "0.99"));

    assertThat(ReceiptClaims.fromClaimsSet(JWTClaimsSet.parse(json)).jti())
        .isEqualTo(ReceiptFixture.at(NOW).build().jti());
  }

  private static Map<String, Object> claims() {
    return ReceiptFixture.at(NOW).claims();
  }

  private static RejectionReason reasonFor(Map<String, Object> json) {
    return rejection(json).reason();
  }

  /**
   * Builds the claims set without {@link JWTClaimsSet#parse}, which already refuses some ill-typed
   * registered claims (the verifier maps that to MALFORMED_CLAIMS too): this tests the conversion.
   */
  private static ReceiptRejectedException rejection(Map<String, Object> json) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
    json.forEach(builder::claim);
    JWTClaimsSet claims = builder.build();
    ReceiptRejectedException rejection =
        catchThrowableOfType(
            ReceiptRejectedException.class, () -> ReceiptClaims.fromClaimsSet(claims));
    assertThat(rejection).as("expected a rejection").isNotNull();
    return rejection;
  }
}
