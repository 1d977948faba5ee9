package net.appstore.verifier.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptClaims;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.jose.SigningException;
import net.appstore.receipt.jose.SigningKey;
import net.appstore.receipt.testing.RawJws;
import net.appstore.receipt.testing.ReceiptFixture;
import net.appstore.receipt.testing.TestVectors;

/**
 * Real receipts signed with the known-answer vectors' TEST-ONLY keys (published in the vectors'
 * JWKS, chained to their root), at the vectors' fixed clock, and the ways to bend them.
 */
public final class TestReceipts {

  public static final TestVectors VECTORS = TestVectors.load();

  private TestReceipts() {}

  /** A plausible purchase receipt at the vectors' clock (signed an hour ago), with a fresh jti. */
  public static ReceiptFixture fixture() {
    return ReceiptFixture.at(VECTORS.now()).jti(UUID.randomUUID().toString());
  }

  public static String sign(Receipt receipt, String kid) {
    try {
      return new DocumentSigner(VECTORS.signingKey(kid)).signReceipt(receipt);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String signRs256(Receipt receipt) {
    return sign(receipt, TestVectors.RS256_KID);
  }

  /** The claims of {@code receipt} as the signer would write them, as JSON. */
  public static String claimsJson(Receipt receipt) {
    return JSONObjectUtils.toJSONString(ReceiptClaims.toClaimsSet(receipt).toJSONObject());
  }

  /** Signs any header and payload with a published key's private key, bypassing every policy. */
  public static String signRaw(String headerJson, String payloadJson, String kid, String jca) {
    SigningKey key = VECTORS.signingKey(kid);
    return RawJws.sign(headerJson, payloadJson, jca, key.privateKey());
  }

  public static String signRaw(String headerJson, String payloadJson, PrivateKey key, String jca) {
    return RawJws.sign(headerJson, payloadJson, jca, key);
  }

  /** {@code token} with its header segment replaced; payload and signature kept. */
  public static String withHeader(String token, String headerJson) {
    String[] parts = token.split("\\.", -1);
    return RawJws.base64Url(headerJson) + "." + parts[1] + "." + parts[2];
  }

  public static byte[] signatureBytes(String token) {
    return Base64.getUrlDecoder().decode(token.split("\\.", -1)[2]);
  }

  public static String withSignature(String token, byte[] signature) {
    String[] parts = token.split("\\.", -1);
    return parts[0] + "." + parts[1] + "." + RawJws.base64Url(signature);
  }

  /** The (unverified) payload of a token, for tests that need its jti. */
  public static Map<String, Object> payload(String token) throws java.text.ParseException {
    String[] parts = token.split("\\.", -1);
    return JSONObjectUtils.parse(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  /** The receipt's header as the signer writes it, for {@code kid}. */
  public static String header(String alg, String kid) {
    return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"receipt+jwt\"}";
  }
}
