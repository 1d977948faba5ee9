package net.appstore.receipt.vectors;

import static net.appstore.receipt.testing.TestVectors.BLOCKLIST_KID;
import static net.appstore.receipt.testing.TestVectors.ES256_KID;
import static net.appstore.receipt.testing.TestVectors.PS256_KID;
import static net.appstore.receipt.testing.TestVectors.RS256_KID;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.SigningException;
import net.appstore.receipt.jose.SigningKey;
import net.appstore.receipt.testing.RawJws;
import net.appstore.receipt.testing.ReceiptFixture;

/** Token surgery for the vector catalog: honest signing, raw signing, and careful damage. */
final class Tokens {

  /** The order n of the P-256 group. */
  static final byte[] P256_ORDER =
      unsigned32(
          new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final Map<String, KeyPair> keys;

  Tokens(Map<String, KeyPair> keys) {
    this.keys = keys;
  }

  KeyPair keyPair(String kid) {
    return keys.get(kid);
  }

  static SigningAlgorithm algorithm(String kid) {
    return switch (kid) {
      case PS256_KID -> SigningAlgorithm.PS256;
      case ES256_KID -> SigningAlgorithm.ES256;
      default -> SigningAlgorithm.RS256;
    };
  }

  private DocumentSigner signer(String kid) {
    return new DocumentSigner(
        new SigningKey(kid, algorithm(kid), keys.get(kid).getPrivate(), null));
  }

  /** A receipt signed by the production signer. */
  String signed(String kid, net.appstore.receipt.Receipt receipt) {
    try {
      return signer(kid).signReceipt(receipt);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A blocklist signed by the production signer with the blocklist key. */
  String blocklist(Map<String, Object> claims) {
    try {
      return signer(BLOCKLIST_KID).signBlocklist(JWTClaimsSet.parse(claims));
    } catch (SigningException | ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Literal header and payload, signed with the key of {@code kid} in its pinned algorithm. */
  String rawSigned(String kid, String header, String payload) {
    String jca =
        switch (algorithm(kid)) {
          case RS256 -> "SHA256withRSA";
          case PS256 -> "PS256";
          case ES256 -> "SHA256withECDSA";
        };
    return RawJws.sign(header, payload, jca, keys.get(kid).getPrivate());
  }

  static String header(String alg, String kid, String typ) {
    return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"" + typ + "\"}";
  }

  static String unsigned(String header, String payload) {
    return RawJws.base64Url(header) + "." + RawJws.base64Url(payload);
  }

  /**
   * A receipt of exactly {@code length} characters, padded through its storedata and signed raw (so
   * it may exceed what the production signer emits). Base64url cannot produce every length (4n/3
   * rounding), so the search also tries a header with one space after the first comma: still valid
   * JSON, and the only way to reach some lengths with these kids.
   */
  String rawSignedOfLength(ReceiptFixture fixture, int length) {
    for (String kid : List.of(RS256_KID, ES256_KID, PS256_KID)) {
      String tight = header(algorithm(kid).name(), kid, "receipt+jwt");
      for (String header : List.of(tight, tight.replaceFirst(",", ", "))) {
        Function<String, String> sign =
            storedata ->
                rawSigned(
                    kid,
                    header,
                    JSONObjectUtils.toJSONString(fixture.storedata(storedata).claims()));
        String probe = sign.apply("x");
        int payloadBytes = Base64.getUrlDecoder().decode(probe.split("\\.")[1]).length;
        int overhead = probe.length() - base64Length(payloadBytes);
        for (int extra = 0; overhead + base64Length(payloadBytes + extra) <= length; extra++) {
          if (overhead + base64Length(payloadBytes + extra) == length) {
            String token = sign.apply("x".repeat(1 + extra));
            if (token.length() != length) {
              throw new IllegalStateException("length search went wrong");
            }
            return token;
          }
        }
      }
    }
    throw new IllegalStateException("no key reaches a token of length " + length);
  }

  private static int base64Length(int bytes) {
    return (4 * bytes + 2) / 3;
  }

  /** ECDSA malleability: (r, s) and (r, n - s) are both valid signatures of the same input. */
  static String highS(String es256Token) {
    byte[] signature = signatureBytes(es256Token);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    byte[] highS = unsigned32(new BigInteger(1, P256_ORDER).subtract(s));
    return replaceSignature(es256Token, concat(Arrays.copyOf(signature, 32), highS));
  }

  static String zeroR(String es256Token) {
    byte[] signature = signatureBytes(es256Token);
    return RawJws.base64Url(concat(new byte[32], Arrays.copyOfRange(signature, 32, 64)));
  }

  static byte[] derSignature(String signingInput, PrivateKey key) {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String flipBit(String base64Url) {
    byte[] bytes = Base64.getUrlDecoder().decode(base64Url);
    bytes[bytes.length / 2] ^= 1;
    return RawJws.base64Url(bytes);
  }

  static String standardAlphabet(String token) {
    String changed = token.replace('-', '+').replace('_', '/');
    if (changed.equals(token)) {
      throw new IllegalStateException("token has no - or _ to replace");
    }
    return changed;
  }

  /** Sets the unused low bits of the last character: same bytes, different spelling. */
  static String nonCanonical(String token) {
    if (token.substring(token.lastIndexOf('.') + 1).length() % 4 != 2) {
      throw new IllegalStateException("needs a signature with four unused trailing bits");
    }
    int last = ALPHABET.indexOf(token.charAt(token.length() - 1));
    return token.substring(0, token.length() - 1) + ALPHABET.charAt(last | 1);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static byte[] signatureBytes(String token) {
    return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
  }

  private static String replaceSignature(String token, byte[] signature) {
    return token.substring(0, token.lastIndexOf('.') + 1) + RawJws.base64Url(signature);
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return fixed;
  }
}
