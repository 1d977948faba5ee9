package net.appstore.verifier.archfixture;

import net.appstore.hsm.HsmUnavailableException;

/**
 * A deliberate violation, never imported by the real rules (they skip test classes): proves that
 * the rule "the verifier never depends on hsm-config" fires when it should.
 */
public final class VerifierReachingIntoTheHsm {
  public Class<?> reach() {
    return HsmUnavailableException.class;
  }
}
