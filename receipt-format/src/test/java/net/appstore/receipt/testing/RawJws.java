package net.appstore.receipt.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds compact JWS tokens from literal header and payload JSON, bypassing every policy the
 * production signer enforces: the way to make the hostile tokens a verifier must refuse.
 */
public final class RawJws {

  private RawJws() {}

  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String base64Url(String utf8) {
    return base64Url(utf8.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Signs {@code header.payload} with a JCA algorithm: {@code SHA256withRSA}, {@code
   * SHA384withRSA}, {@code PS256} (RSASSA-PSS, SHA-256, salt 32) or {@code SHA256withECDSA}
   * (transcoded to the 64-byte JWS form).
   */
  public static String sign(String headerJson, String payloadJson, String jca, PrivateKey key) {
    String input = base64Url(headerJson) + "." + base64Url(payloadJson);
    return input + "." + base64Url(signature(input, jca, key));
  }

  /** An HS256 token keyed with {@code secret}, e.g. a public key's bytes (key confusion). */
  public static String hs256(String headerJson, String payloadJson, byte[] secret) {
    String input = base64Url(headerJson) + "." + base64Url(payloadJson);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + base64Url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The raw signature bytes, in JWS form. */
  public static byte[] signature(String signingInput, String jca, PrivateKey key) {
    try {
      Signature signature;
      if (jca.equals("PS256")) {
        signature = Signature.getInstance("RSASSA-PSS");
        signature.setParameter(
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      } else {
        signature = Signature.getInstance(jca);
      }
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      byte[] bytes = signature.sign();
      return jca.endsWith("ECDSA") ? ECDSA.transcodeSignatureToConcat(bytes, 64) : bytes;
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
