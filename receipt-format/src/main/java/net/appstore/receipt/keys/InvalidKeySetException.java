package net.appstore.receipt.keys;

/**
 * A JWKS, or one key in it, does not meet the publication rules. The whole set is refused rather
 * than the bad key skipped: the set comes from our own signer, so a bad key is a bug to alert on,
 * and a verifier keeps using its last good set meanwhile. (A consequence for rollouts: verifiers
 * must learn a new algorithm before the signer publishes a key for it.)
 */
public final class InvalidKeySetException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidKeySetException(String message) {
    super(message);
  }

  public InvalidKeySetException(String message, Throwable cause) {
    super(message, cause);
  }
}
