package net.appstore.receipt.jose;

import static net.appstore.receipt.RejectionReason.ALG_NOT_ALLOWED;
import static net.appstore.receipt.RejectionReason.ERROR_DECODING;
import static net.appstore.receipt.RejectionReason.FORBIDDEN_HEADER;
import static net.appstore.receipt.RejectionReason.MISSING_KEY_ID;
import static net.appstore.receipt.RejectionReason.TOO_LARGE;
import static net.appstore.receipt.RejectionReason.WRONG_TYPE;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.appstore.receipt.ReceiptRejectedException;

/**
 * What a token may look like before any key is involved. The checks run cheapest first, so a flood
 * of junk costs a length comparison, not a JSON parse:
 *
 * <ol>
 *   <li>at most {@link #MAX_TOKEN_CHARS} characters ({@code TOO_LARGE});
 *   <li>compact form: exactly three non-empty segments of canonical, unpadded base64url, and
 *       nothing else, not even whitespace ({@code ERROR_DECODING});
 *   <li>the header is a JSON object ({@code ERROR_DECODING});
 *   <li>header {@code alg} is RS256, PS256 or ES256 ({@code ALG_NOT_ALLOWED}); the header has no
 *       parameter besides {@link #HEADER_PARAMETERS} ({@code FORBIDDEN_HEADER}); {@code typ} is the
 *       expected document type ({@code WRONG_TYPE}); {@code kid} is a non-empty string ({@code
 *       MISSING_KEY_ID});
 *   <li>the payload is a JSON object ({@code ERROR_DECODING}).
 * </ol>
 *
 * <p>The header is an allowlist, so {@code jku}, {@code x5u}, {@code jwk}, {@code x5c} (a token
 * naming or carrying its own key), {@code crit} (extensions we would have to understand) and {@code
 * b64} (unencoded payloads) are all refused, and so is anything invented later.
 *
 * <p>Stateless and thread-safe.
 */
public final class JosePolicy {

  /**
   * 16 KiB. A receipt is about 1 KiB (RS256: 80 characters of header, 600 of claims, 342 of
   * signature), so this leaves room for long store data while bounding the decoding work an
   * anonymous caller can demand. The signer refuses to emit a longer token.
   */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** The only header parameters a token may carry, and the only ones the signer writes. */
  public static final Set<String> HEADER_PARAMETERS = Set.of("alg", "kid", "typ");

  /** Registered JWS parameters, safe to name in a rejection message. */
  private static final Set<String> WELL_KNOWN_PARAMETERS =
      Set.of("jku", "x5u", "jwk", "x5c", "crit", "b64", "x5t", "x5t#S256", "cty", "zip");

  private JosePolicy() {}

  /**
   * Applies every check above and returns the decoded, still unverified token.
   *
   * @throws ReceiptRejectedException with the reason of the first check that fails
   */
  public static UnverifiedToken decode(String token, DocumentType expected)
      throws ReceiptRejectedException {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new ReceiptRejectedException(
          TOO_LARGE, "token longer than " + MAX_TOKEN_CHARS + " characters");
    }
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
      throw new ReceiptRejectedException(ERROR_DECODING, "not three dot-separated segments");
    }
    String headerSegment = token.substring(0, firstDot);
    String payloadSegment = token.substring(firstDot + 1, secondDot);
    String signatureSegment = token.substring(secondDot + 1);
    byte[] header = base64Url(headerSegment, "header");
    byte[] payload = base64Url(payloadSegment, "payload");
    // Checked like the others but not decoded here: the signature verifier decodes it, once.
    requireCanonicalBase64Url(signatureSegment, "signature");
    Map<String, Object> headerJson = jsonObject(header, "header");
    SigningAlgorithm algorithm = checkHeader(headerJson, expected);
    Map<String, Object> payloadJson = jsonObject(payload, "payload");
    return new UnverifiedToken(
        expected,
        algorithm,
        (String) headerJson.get("kid"),
        token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII),
        signatureSegment,
        payloadJson);
  }

  private static SigningAlgorithm checkHeader(Map<String, Object> header, DocumentType expected)
      throws ReceiptRejectedException {
    Optional<SigningAlgorithm> algorithm =
        header.get("alg") instanceof String name
            ? SigningAlgorithm.fromJwsName(name)
            : Optional.empty();
    if (algorithm.isEmpty()) {
      throw new ReceiptRejectedException(ALG_NOT_ALLOWED, "alg is not allowed");
    }
    for (String parameter : header.keySet()) {
      if (!HEADER_PARAMETERS.contains(parameter)) {
        throw new ReceiptRejectedException(FORBIDDEN_HEADER, describe(parameter));
      }
    }
    if (!expected.headerType().equals(header.get("typ"))) {
      throw new ReceiptRejectedException(WRONG_TYPE, "header typ is not " + expected.headerType());
    }
    if (!(header.get("kid") instanceof String kid) || kid.isEmpty()) {
      throw new ReceiptRejectedException(MISSING_KEY_ID, "kid is missing or not a string");
    }
    return algorithm.get();
  }

  /** Names the well-known dangerous parameters; never echoes an unknown, caller-chosen name. */
  private static String describe(String parameter) {
    return WELL_KNOWN_PARAMETERS.contains(parameter)
        ? "header parameter " + parameter + " is not allowed"
        : "header carries a parameter that is not allowed";
  }

  /**
   * Decodes unpadded base64url, refusing any other alphabet, padding, whitespace, and non-canonical
   * encodings (unused trailing bits set), so each token has one spelling per signature.
   */
  private static byte[] base64Url(String segment, String name) throws ReceiptRejectedException {
    requireCanonicalBase64Url(segment, name);
    return Base64.getUrlDecoder().decode(segment);
  }

  /**
   * Canonical means: only the base64url alphabet, no padding, a length that is not 1 modulo 4, and
   * the unused low bits of the last character zero (4 bits when the length is 2 modulo 4, 2 bits
   * when it is 3 modulo 4). That is exactly the set of strings that decode and re-encode to
   * themselves, checked without decoding.
   */
  private static void requireCanonicalBase64Url(String segment, String name)
      throws ReceiptRejectedException {
    if (segment.isEmpty() || segment.length() % 4 == 1 || !isBase64UrlAlphabet(segment)) {
      throw new ReceiptRejectedException(ERROR_DECODING, name + " is not base64url");
    }
    int unusedBits =
        switch (segment.length() % 4) {
          case 2 -> 4;
          case 3 -> 2;
          default -> 0;
        };
    int last = base64UrlValue(segment.charAt(segment.length() - 1));
    if ((last & ((1 << unusedBits) - 1)) != 0) {
      throw new ReceiptRejectedException(ERROR_DECODING, name + " is not canonical base64url");
    }
  }

  private static int base64UrlValue(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : 63;
  }

  private static boolean isBase64UrlAlphabet(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> jsonObject(byte[] bytes, String name)
      throws ReceiptRejectedException {
    try {
      String json =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      // Nimbus' parser is strict: no duplicate names, no comments, no trailing data.
      return JSONObjectUtils.parse(json);
    } catch (CharacterCodingException | ParseException e) {
      throw new ReceiptRejectedException(ERROR_DECODING, name + " is not a JSON object", e);
    }
  }
}
