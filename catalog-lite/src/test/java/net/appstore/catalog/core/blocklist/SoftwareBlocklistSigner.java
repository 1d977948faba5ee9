package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.SigningException;
import net.appstore.receipt.jose.SigningKey;

/**
 * Stands in for the signer service until it exists: signs with receipt-format's {@link
 * DocumentSigner} and a software RSA test key, exactly the mechanism the signer runs with an HSM
 * key, and publishes the matching JWKS.
 */
public final class SoftwareBlocklistSigner implements BlocklistSigner {

  private final String kid;
  private final KeyPair keys;

  public SoftwareBlocklistSigner(String kid) {
    this.kid = kid;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key set a verifier would fetch from the signer. */
  public JWKSet jwks() {
    return new JWKSet(
        new RSAKey.Builder((RSAPublicKey) keys.getPublic())
            .keyID(kid)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.RS256)
            .build());
  }

  public String kid() {
    return kid;
  }

  @Override
  public SignedBlocklist sign(ObjectNode document) throws BlocklistSigningException {
    try {
      JWTClaimsSet claims = JWTClaimsSet.parse(JSONObjectUtils.parse(document.toString()));
      DocumentSigner signer =
          new DocumentSigner(new SigningKey(kid, SigningAlgorithm.RS256, keys.getPrivate(), null));
      return new SignedBlocklist(signer.signBlocklist(claims), kid);
    } catch (ParseException | SigningException e) {
      throw new BlocklistSigningException("test signer failed", e);
    }
  }
}
