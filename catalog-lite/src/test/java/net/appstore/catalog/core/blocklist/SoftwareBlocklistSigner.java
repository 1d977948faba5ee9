package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import net.appstore.catalog.testing.TestSigningRoot;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.SigningException;
import net.appstore.receipt.jose.SigningKey;

/**
 * Stands in for the signer service until it exists: signs with receipt-format's {@link
 * DocumentSigner} and a software RSA test key, exactly the mechanism the signer runs with an HSM
 * key, and publishes the matching JWKS, the key certified ({@code x5c}) by a {@link
 * TestSigningRoot}.
 */
public final class SoftwareBlocklistSigner implements BlocklistSigner {

  private final String kid;
  private final KeyPair keys;
  private final List<X509Certificate> chain;

  /** A key certified by the root the catalog's tests pin. */
  public SoftwareBlocklistSigner(String kid) {
    this(kid, TestSigningRoot.shared());
  }

  public SoftwareBlocklistSigner(String kid, TestSigningRoot root) {
    this.kid = kid;
    this.keys = TestSigningRoot.rsaKeyPair();
    this.chain = root.certify(keys.getPublic(), kid);
  }

  /** The public key set a verifier would fetch from the signer. */
  public JWKSet jwks() {
    return new JWKSet(
        new RSAKey.Builder((RSAPublicKey) keys.getPublic())
            .keyID(kid)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.RS256)
            .x509CertChain(x5c())
            .build());
  }

  private List<Base64> x5c() {
    try {
      List<Base64> x5c = new ArrayList<>();
      for (X509Certificate certificate : chain) {
        x5c.add(Base64.encode(certificate.getEncoded()));
      }
      return x5c;
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
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
