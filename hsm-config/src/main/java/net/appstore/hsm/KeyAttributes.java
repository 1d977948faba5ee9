package net.appstore.hsm;

/**
 * Protection attributes of a private key object, read from the token with C_GetAttributeValue, so
 * operators and tests can prove a key cannot leave the HSM.
 *
 * <p>Immutable.
 *
 * @param token CKA_TOKEN: stored on the token, not a session object
 * @param privateObject CKA_PRIVATE: visible only after login
 * @param sensitive CKA_SENSITIVE: the value can never be read in plaintext
 * @param extractable CKA_EXTRACTABLE: the key can be wrapped out of the token
 * @param alwaysSensitive CKA_ALWAYS_SENSITIVE: sensitive since creation
 * @param neverExtractable CKA_NEVER_EXTRACTABLE: never was extractable
 */
public record KeyAttributes(
    boolean token,
    boolean privateObject,
    boolean sensitive,
    boolean extractable,
    boolean alwaysSensitive,
    boolean neverExtractable) {

  /** True when the key was generated inside the token and can never leave it. */
  public boolean confinedToHsm() {
    return token
        && privateObject
        && sensitive
        && !extractable
        && alwaysSensitive
        && neverExtractable;
  }
}
