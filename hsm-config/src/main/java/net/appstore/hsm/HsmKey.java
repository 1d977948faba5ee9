package net.appstore.hsm;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A key in the HSM found by label: a handle to the private key (usable only through {@link
 * HsmToken#provider()}) and its certificate chain, from which the public key is taken.
 *
 * <p>Immutable. The private key handle becomes stale if the token goes away; after an {@link
 * HsmUnavailableException} look the key up again.
 *
 * @param label the label (key store alias, CKA_ID and CKA_LABEL of its objects)
 * @param type the key type
 * @param privateKey the HSM handle; its key material cannot be read
 * @param chain the certificate chain, leaf first, never empty
 */
public record HsmKey(
    String label, HsmKeyType type, PrivateKey privateKey, List<X509Certificate> chain) {

  /** Validates and copies the chain. */
  public HsmKey {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain is empty for key '" + label + "'");
    }
  }

  /** The leaf certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The public key from the leaf certificate: a software key, verifying needs no HSM. */
  public PublicKey publicKey() {
    return certificate().getPublicKey();
  }

  /** Names the key without printing the handle or the certificates. */
  @Override
  public String toString() {
    return "HsmKey[" + label + ", " + type + "]";
  }
}
