package net.appstore.receipt.jose;

import static net.appstore.receipt.RejectionReason.ERROR_DECODING;
import static net.appstore.receipt.testing.RawJws.base64Url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import net.appstore.receipt.ReceiptRejectedException;
import net.appstore.receipt.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JosePolicyTest {

  private static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"receipt+jwt\"}";
  private static final String PAYLOAD = "{\"iat\":1764154800}";
  private static final String SIGNATURE = base64Url(new byte[256]);

  @Test
  void decode_wellFormedToken_returnsCheckedHeaderFields() throws Exception {
    UnverifiedToken token = JosePolicy.decode(token(HEADER, PAYLOAD), DocumentType.RECEIPT);

    assertThat(token.algorithm()).isEqualTo(SigningAlgorithm.RS256);
    assertThat(token.kid()).isEqualTo("k1");
    assertThat(token.documentType()).isEqualTo(DocumentType.RECEIPT);
    assertThat(token.claimedIssueTime()).contains(Instant.ofEpochSecond(1764154800));
    assertThat(token.signature().decode()).hasSize(256);
  }

  @Test
  void decode_junkOfExactlyMaxLength_isNotRejectedForSize() {
    String junk = ".".repeat(JosePolicy.MAX_TOKEN_CHARS);

    assertThat(reason(junk, DocumentType.RECEIPT)).isEqualTo(RejectionReason.ERROR_DECODING);
  }

  @Test
  void decode_junkOneOverMaxLength_isRejectedForSizeBeforeDecoding() {
    String junk = ".".repeat(JosePolicy.MAX_TOKEN_CHARS + 1);

    assertThat(reason(junk, DocumentType.RECEIPT)).isEqualTo(RejectionReason.TOO_LARGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jku", "x5u", "jwk", "x5c", "crit", "b64"})
  void decode_dangerousHeaderParameter_rejectsWithForbiddenHeaderNamingIt(String parameter) {
    String header = HEADER.replace("}", ",\"" + parameter + "\":false}");

    ReceiptRejectedException e = rejection(token(header, PAYLOAD), DocumentType.RECEIPT);

    assertThat(e.reason()).isEqualTo(RejectionReason.FORBIDDEN_HEADER);
    assertThat(e.getMessage()).contains(parameter);
  }

  @Test
  void decode_unknownHeaderParameter_rejectsWithoutEchoingItsName() {
    String header = HEADER.replace("}", ",\"evil\\nname\":1}");

    ReceiptRejectedException e = rejection(token(header, PAYLOAD), DocumentType.RECEIPT);

    assertThat(e.reason()).isEqualTo(RejectionReason.FORBIDDEN_HEADER);
    assertThat(e.getMessage()).doesNotContain("evil");
  }

  @Test
  void decode_algNoneAndForbiddenParameter_reportsAlgorithmFirst() {
    String header = "{\"alg\":\"none\",\"jwk\":{},\"typ\":\"JWT\"}";

    assertThat(reason(token(header, PAYLOAD), DocumentType.RECEIPT))
        .isEqualTo(RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void decode_wrongTypAndNoKid_reportsTypeFirst() {
    String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\"}";

    assertThat(reason(token(header, PAYLOAD), DocumentType.RECEIPT))
        .isEqualTo(RejectionReason.WRONG_TYPE);
  }

  @Test
  void decode_receiptHeaderExpectingBlocklist_rejectsWithWrongType() {
    assertThat(reason(token(HEADER, PAYLOAD), DocumentType.BLOCKLIST))
        .isEqualTo(RejectionReason.WRONG_TYPE);
  }

  @Test
  void decode_badHeaderAndBadPayload_reportsHeaderPolicyBeforePayload() {
    String header = HEADER.replace("RS256", "HS256");

    assertThat(reason(token(header, "not json"), DocumentType.RECEIPT))
        .isEqualTo(RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void decode_headerNotUtf8_rejectsWithErrorDecoding() {
    byte[] latin1 =
        "{\"alg\":\"RS256\",\"kid\":\"\u00e9\",\"typ\":\"receipt+jwt\"}"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    String token = base64Url(latin1) + "." + base64Url(PAYLOAD) + "." + SIGNATURE;

    assertThat(reason(token, DocumentType.RECEIPT)).isEqualTo(RejectionReason.ERROR_DECODING);
  }

  @Test
  void decode_segmentWhoseLengthIsOneModFour_rejectsWithErrorDecoding() {
    // Five characters cannot be base64 of anything; the JDK decoder would throw on it.
    String token = base64Url(HEADER) + "." + base64Url(PAYLOAD) + ".AAAAA";

    assertThat(reason(token, DocumentType.RECEIPT)).isEqualTo(RejectionReason.ERROR_DECODING);
  }

  /**
   * Canonical form is checked without decoding (the signature segment is not decoded here at all),
   * so compare it with the definition — the segment decodes and re-encodes to itself — for every
   * possible last character, each segment, and segment lengths 0, 2 and 3 modulo 4 (no, 4 and 2
   * unused bits). Header and payload lengths are varied with JSON whitespace.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void decode_everyLastCharacter_acceptedExactlyWhenReencodingGivesTheSameSegment(int segment) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    java.util.Base64.Decoder decoder = java.util.Base64.getUrlDecoder();
    java.util.Set<Integer> lengthsModFour = new java.util.HashSet<>();
    for (String good : lengthVariants()) {
      String[] parts = good.split("\\.");
      String original = parts[segment];
      lengthsModFour.add(original.length() % 4);
      for (char last : alphabet.toCharArray()) {
        parts[segment] = original.substring(0, original.length() - 1) + last;
        String candidate = String.join(".", parts);
        byte[] bytes = decoder.decode(parts[segment]);
        boolean canonical =
            java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(bytes)
                .equals(parts[segment]);
        boolean sameContent = java.util.Arrays.equals(bytes, decoder.decode(original));
        if (!canonical) {
          assertThat(reasonOrNull(candidate)).as(candidate).isEqualTo(ERROR_DECODING);
        } else if (segment == 2 || sameContent) {
          assertThat(reasonOrNull(candidate)).as(candidate).isNull();
        } // else: other header or payload bytes, no longer JSON; not what this test is about.
      }
    }
    assertThat(lengthsModFour).containsExactlyInAnyOrder(0, 2, 3);
  }

  private static java.util.List<String> lengthVariants() {
    java.util.List<String> tokens = new java.util.ArrayList<>();
    for (int spaces = 0; spaces < 3; spaces++) {
      String pad = " ".repeat(spaces);
      tokens.add(
          base64Url(HEADER.replace("}", pad + "}"))
              + "."
              + base64Url(PAYLOAD.replace("}", pad + "}"))
              + "."
              + base64Url(new byte[64 + spaces]));
    }
    return tokens;
  }

  private static RejectionReason reasonOrNull(String token) {
    try {
      JosePolicy.decode(token, DocumentType.RECEIPT);
      return null;
    } catch (ReceiptRejectedException e) {
      return e.reason();
    }
  }

  @Test
  void claimedIssueTime_beyondInstantRange_isEmpty() throws Exception {
    String payload = "{\"iat\":" + Long.MAX_VALUE + "}";

    assertThat(JosePolicy.decode(token(HEADER, payload), DocumentType.RECEIPT).claimedIssueTime())
        .isEmpty();
  }

  @Test
  void claimedIssueTime_notANumber_isEmpty() throws Exception {
    String payload = "{\"iat\":\"1764154800\"}";

    assertThat(JosePolicy.decode(token(HEADER, payload), DocumentType.RECEIPT).claimedIssueTime())
        .isEmpty();
  }

  @Test
  void toString_unverifiedToken_revealsNeitherKidNorContent() throws Exception {
    String header = HEADER.replace("k1", "secret-looking-kid");

    assertThat(JosePolicy.decode(token(header, PAYLOAD), DocumentType.RECEIPT).toString())
        .doesNotContain("secret-looking-kid")
        .doesNotContain("1764154800");
  }

  private static String token(String header, String payload) {
    return base64Url(header) + "." + base64Url(payload) + "." + SIGNATURE;
  }

  private static RejectionReason reason(String token, DocumentType type) {
    return rejection(token, type).reason();
  }

  private static ReceiptRejectedException rejection(String token, DocumentType type) {
    ReceiptRejectedException rejection =
        catchThrowableOfType(ReceiptRejectedException.class, () -> JosePolicy.decode(token, type));
    assertThat(rejection).as("expected a rejection").isNotNull();
    return rejection;
  }
}
