package net.appstore.receipt.keys;

import com.nimbusds.jose.jwk.Curve;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a {@link PublishedKey} is vouched for by the pinned root, with the JDK's PKIX
 * {@link CertPathValidator}:
 *
 * <ul>
 *   <li>the pinned root is the only trust anchor: the JDK's CA bundle plays no part, so no public
 *       CA can certify a receipt key;
 *   <li>the validation date is the token's {@code iat}, so receipts signed while a certificate was
 *       valid stay valid after it expires (a receipt lives longer than a signing key);
 *   <li>revocation checking is off: there is no CRL or OCSP service for a private root, and the
 *       stateless verifier must not depend on one on its hot path. A key is withdrawn by removing
 *       it from the JWKS (state RETIRED), which verifiers see within their cache age;
 *   <li>the pinned root itself must also be valid at that date, which PKIX does not check;
 *   <li>the leaf must be an end-entity certificate for digital signatures, and must certify exactly
 *       the published key.
 * </ul>
 *
 * <p>Thread-safe: JCA objects are created per call. A validator made by {@link #remembering}
 * additionally remembers the last key that passed (see there); the plain one keeps no state.
 */
public final class CertificateChainValidator {

  private static final int DIGITAL_SIGNATURE = 0;

  private final X509Certificate pinnedRoot;
  private final boolean remember;

  /**
   * A key that passed, and the dates at which every certificate of its chain and the pinned root
   * are valid: the only way the date enters the checks.
   */
  private record Passed(PublishedKey key, Date from, Date until) {
    boolean covers(PublishedKey other, Date date) {
      return other == key && !date.before(from) && !date.after(until);
    }
  }

  private volatile Passed lastPassed;

  /**
   * @throws IllegalArgumentException if {@code pinnedRoot} is not a self-signed CA certificate
   */
  public CertificateChainValidator(X509Certificate pinnedRoot) {
    this(pinnedRoot, false);
  }

  /**
   * A validator for one key checked over and over, such as the signer's check of its own fresh
   * signatures: after {@code key} passed once, validating the same {@link PublishedKey} object at a
   * date inside the validity period of every certificate of its chain and of the pinned root skips
   * the PKIX path validation, whose result cannot differ there (revocation is off; signatures,
   * names, constraints and key usage do not depend on the date). Any other key or date is validated
   * in full. A key that failed is never remembered.
   *
   * @throws IllegalArgumentException if {@code pinnedRoot} is not a self-signed CA certificate
   */
  public static CertificateChainValidator remembering(X509Certificate pinnedRoot) {
    return new CertificateChainValidator(pinnedRoot, true);
  }

  private CertificateChainValidator(X509Certificate pinnedRoot, boolean remember) {
    this.remember = remember;
    this.pinnedRoot = Objects.requireNonNull(pinnedRoot, "pinnedRoot");
    try {
      pinnedRoot.verify(pinnedRoot.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the pinned root must be self-signed", e);
    }
    if (pinnedRoot.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("the pinned root must be a CA certificate");
    }
  }

  /** Reads one PEM-encoded certificate, as found in a verifier's configuration. */
  public static X509Certificate readPemCertificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM X.509 certificate", e);
    }
  }

  public X509Certificate pinnedRoot() {
    return pinnedRoot;
  }

  /**
   * Checks that {@code key}'s chain leads to the pinned root and that every certificate in it, root
   * included, was valid at {@code at}.
   *
   * @throws UntrustedKeyException saying what is wrong
   */
  public void validate(PublishedKey key, Instant at) throws UntrustedKeyException {
    Passed passed = lastPassed;
    if (passed != null && passed.covers(key, toDate(key, at))) {
      return;
    }
    X509Certificate leaf = key.leaf();
    if (!sameKey(leaf.getPublicKey(), key.publicKey())) {
      throw new UntrustedKeyException(key + ": leaf certificate is for another key");
    }
    boolean[] usage = leaf.getKeyUsage();
    if (leaf.getBasicConstraints() >= 0 || usage == null || !usage[DIGITAL_SIGNATURE]) {
      throw new UntrustedKeyException(key + ": leaf is not an end-entity signing certificate");
    }
    try {
      Date date = Date.from(at);
      pinnedRoot.checkValidity(date);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pinnedRoot, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(date);
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(path(key)), parameters);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // IllegalArgumentException: a date outside what java.util.Date can hold.
      throw new UntrustedKeyException(key + ": not certified by the pinned root at " + at, e);
    }
    if (remember) {
      lastPassed = validityOf(key);
    }
  }

  private static Date toDate(PublishedKey key, Instant at) throws UntrustedKeyException {
    try {
      return Date.from(at);
    } catch (IllegalArgumentException e) {
      throw new UntrustedKeyException(key + ": not certified by the pinned root at " + at, e);
    }
  }

  /** The dates at which every certificate of the key's chain and the pinned root are valid. */
  private Passed validityOf(PublishedKey key) {
    Date from = pinnedRoot.getNotBefore();
    Date until = pinnedRoot.getNotAfter();
    for (X509Certificate certificate : key.chain()) {
      from = certificate.getNotBefore().after(from) ? certificate.getNotBefore() : from;
      until = certificate.getNotAfter().before(until) ? certificate.getNotAfter() : until;
    }
    return new Passed(key, from, until);
  }

  /** The chain without the pinned root: PKIX wants the path up to, not including, the anchor. */
  private List<X509Certificate> path(PublishedKey key) {
    List<X509Certificate> path = new ArrayList<>(key.chain());
    if (path.size() > 1 && path.get(path.size() - 1).equals(pinnedRoot)) {
      path.remove(path.size() - 1);
    }
    return path;
  }

  /** Compares key values, not encodings, which may differ between providers. */
  private static boolean sameKey(PublicKey a, PublicKey b) {
    if (a instanceof RSAPublicKey x && b instanceof RSAPublicKey y) {
      return x.getModulus().equals(y.getModulus())
          && x.getPublicExponent().equals(y.getPublicExponent());
    }
    if (a instanceof ECPublicKey x && b instanceof ECPublicKey y) {
      return x.getW().equals(y.getW())
          && Objects.equals(
              Curve.forECParameterSpec(x.getParams()), Curve.forECParameterSpec(y.getParams()));
    }
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }
}
