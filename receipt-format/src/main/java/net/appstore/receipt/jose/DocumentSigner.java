package net.appstore.receipt.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.ProviderException;
import java.util.Objects;
import net.appstore.receipt.Receipt;
import net.appstore.receipt.ReceiptClaims;

/**
 * Signs receipts and blocklists with one {@link SigningKey}, writing a header of exactly {@code
 * alg}, {@code kid} and {@code typ}: never a key, a key URL, a certificate or {@code crit}, so
 * every token it emits passes {@link JosePolicy}.
 *
 * <p>Thread-safe: each call builds its own Nimbus signer, which creates a new JCA {@code
 * Signature}, so concurrent calls share nothing but the key (for SunPKCS11, each operation then
 * takes its own session). For ES256 the provider's DER signature is transcoded by Nimbus to the
 * 64-byte JWS form.
 */
public final class DocumentSigner {

  private final SigningKey key;

  public DocumentSigner(SigningKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  /** The key id written into every header, which the caller records with what it signed. */
  public String kid() {
    return key.kid();
  }

  /**
   * Signs a receipt.
   *
   * @throws SigningException if the key or its provider fails (for an HSM: often temporary)
   */
  public String signReceipt(Receipt receipt) throws SigningException {
    return sign(DocumentType.RECEIPT, ReceiptClaims.toClaimsSet(receipt));
  }

  /**
   * Signs a blocklist. Its content is the catalog's business; the signer only insists on what a
   * verifier checks for every blocklist: {@code iss} and {@code iat}.
   *
   * @throws IllegalArgumentException if {@code iss} or {@code iat} is missing
   * @throws SigningException if the key or its provider fails
   */
  public String signBlocklist(JWTClaimsSet blocklist) throws SigningException {
    if (blocklist.getIssuer() == null || blocklist.getIssueTime() == null) {
      throw new IllegalArgumentException("a blocklist needs iss and iat");
    }
    return sign(DocumentType.BLOCKLIST, blocklist);
  }

  private String sign(DocumentType type, JWTClaimsSet claims) throws SigningException {
    JWSHeader header =
        new JWSHeader.Builder(key.algorithm().jwsAlgorithm())
            .keyID(key.kid())
            .type(type.joseObjectType())
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(newNimbusSigner());
    } catch (JOSEException | ProviderException e) {
      // Providers signal HSM trouble with ProviderException (unchecked); it is the same failure.
      throw new SigningException("signing with " + key + " failed", e);
    }
    String token = jwt.serialize();
    if (token.length() > JosePolicy.MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException(
          "signed token exceeds "
              + JosePolicy.MAX_TOKEN_CHARS
              + " characters; verifiers refuse it");
    }
    return token;
  }

  private JWSSigner newNimbusSigner() throws JOSEException {
    JWSSigner signer =
        switch (key.algorithm()) {
          case RS256, PS256 -> new RSASSASigner(key.privateKey());
          case ES256 -> new ECDSASigner(key.privateKey(), Curve.P_256);
        };
    key.provider().ifPresent(provider -> signer.getJCAContext().setProvider(provider));
    return signer;
  }
}
