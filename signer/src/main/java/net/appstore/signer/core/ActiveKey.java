package net.appstore.signer.core;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.RegisteredKey;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.jose.SigningKey;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import net.appstore.receipt.verify.BlocklistVerifier;
import net.appstore.receipt.verify.ReceiptVerifier;
import net.appstore.receipt.verify.VerifierSettings;

/**
 * The ACTIVE key of one purpose as the signer uses it: the registry row, the HSM key to sign with,
 * and verifiers that check each signature in software with the key's registered certificate, the
 * same public key verifiers will use (F14). The verifiers trust only this key, and only as far as
 * its own registered chain reaches its root.
 *
 * <p>Immutable and thread-safe.
 */
public final class ActiveKey {

  private final RegisteredKey registered;
  private final SigningKey signingKey;
  private final DocumentSigner signer;
  private final X509Certificate leaf;
  private final ReceiptVerifier receiptVerifier;
  private final BlocklistVerifier blocklistVerifier;

  /**
   * @param published the registry row's public key and chain (root last)
   * @param signingKey the HSM key registered under the row's label
   * @param settings what verify-after-sign accepts (every configured issuer and typ)
   * @throws IllegalArgumentException if the chain does not end in a self-signed CA certificate
   */
  public ActiveKey(
      RegisteredKey registered,
      PublishedKey published,
      SigningKey signingKey,
      VerifierSettings settings,
      Clock clock) {
    this.registered = Objects.requireNonNull(registered, "registered");
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.signer = new DocumentSigner(signingKey);
    List<X509Certificate> chain = published.chain();
    this.leaf = chain.get(0);
    // Every verification is of this one key at about now: its chain is validated once and again
    // only for a date outside the validity of its certificates.
    CertificateChainValidator trust =
        CertificateChainValidator.remembering(chain.get(chain.size() - 1));
    PublishedKeySet only = new PublishedKeySet(List.of(published));
    this.receiptVerifier = new ReceiptVerifier(only, trust, settings, clock);
    this.blocklistVerifier = new BlocklistVerifier(only, trust, settings, clock);
  }

  public String kid() {
    return registered.kid();
  }

  public KeyPurpose purpose() {
    return registered.purpose();
  }

  public String hsmLabel() {
    return registered.hsmLabel();
  }

  public RegisteredKey registered() {
    return registered;
  }

  DocumentSigner signer() {
    return signer;
  }

  public SigningKey signingKey() {
    return signingKey;
  }

  ReceiptVerifier receiptVerifier() {
    return receiptVerifier;
  }

  BlocklistVerifier blocklistVerifier() {
    return blocklistVerifier;
  }

  /**
   * The end of the signing window: the registry's not_after or the certificate's expiry, whichever
   * comes first.
   */
  public Instant notAfter() {
    Instant certificate = leaf.getNotAfter().toInstant();
    return certificate.isBefore(registered.notAfter()) ? certificate : registered.notAfter();
  }

  /** The start of the signing window: the later of the registry's and the certificate's. */
  public Instant notBefore() {
    Instant certificate = leaf.getNotBefore().toInstant();
    return certificate.isAfter(registered.notBefore()) ? certificate : registered.notBefore();
  }

  /**
   * Whether the key may sign at {@code now} (F12): inside [notBefore, notAfter). The HSM does not
   * enforce key expiry, so this is the only place that does.
   */
  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore()) && now.isBefore(notAfter());
  }

  @Override
  public String toString() {
    return "ActiveKey[" + registered.purpose().wireName() + " " + kid() + "]";
  }
}
