package net.appstore.signer.testing;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.X509CertChainUtils;
import com.nimbusds.jwt.SignedJWT;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies a token the way an outside party would, knowing only the signer's JWKS (fetched over
 * HTTPS) and the root certificate it pins: plain Nimbus and the JDK's PKIX validator, none of the
 * project's verification code.
 */
public final class IndependentVerifier {

  private final JWKSet jwks;
  private final X509Certificate root;

  public IndependentVerifier(String jwksJson, X509Certificate root) throws Exception {
    this.jwks = JWKSet.parse(jwksJson);
    this.root = root;
  }

  /**
   * @return the verified token
   * @throws AssertionError if the key is unknown, its chain does not lead to the root, or the
   *     signature does not verify
   */
  public SignedJWT verify(String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    JWK jwk = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    if (jwk == null) {
      throw new AssertionError("kid " + jwt.getHeader().getKeyID() + " is not in the JWKS");
    }
    List<X509Certificate> chain = X509CertChainUtils.parse(jwk.getX509CertChain());
    List<X509Certificate> path =
        chain.get(chain.size() - 1).equals(root) ? chain.subList(0, chain.size() - 1) : chain;
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(jwt.getJWTClaimsSet().getIssueTime().toInstant()));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    RSAPublicKey published = jwk.toRSAKey().toRSAPublicKey();
    if (!published.equals(chain.get(0).getPublicKey())) {
      throw new AssertionError("the JWK is not the key its certificate certifies");
    }
    JWSVerifier verifier = new RSASSAVerifier(published);
    if (!jwt.verify(verifier)) {
      throw new AssertionError("signature does not verify");
    }
    return jwt;
  }
}
