package net.appstore.keytool.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * The waiting times the lifecycle rules need. Immutable.
 *
 * @param keyCacheAge how long verifiers (and CDN copies of the JWKS) may keep serving a key set
 *     they fetched: a key is activated only after it has been published at least this long, so that
 *     no verifier rejects the first receipts it signs
 * @param receiptLifetime the longest time from signing to {@code exp} of any receipt or blocklist
 *     the key signs; after that, nothing it signed can be valid any more
 * @param signerKeyStaleness how long a signer may go on signing with a key after it stopped being
 *     ACTIVE in the registry (its refresh interval for the active key), added to the last moment
 *     the key can have signed
 */
public record LifecyclePolicy(
    Duration keyCacheAge, Duration receiptLifetime, Duration signerKeyStaleness) {

  /** Verifiers' JWKS caches plus a CDN copy stay well inside a day. */
  public static final Duration DEFAULT_KEY_CACHE_AGE = Duration.ofHours(24);

  /** Receipts live 180 days (DESIGN.md wire example: exp - nbf). */
  public static final Duration DEFAULT_RECEIPT_LIFETIME = Duration.ofDays(180);

  /** A generous bound on the signer's active-key refresh. */
  public static final Duration DEFAULT_SIGNER_KEY_STALENESS = Duration.ofMinutes(10);

  public static final LifecyclePolicy DEFAULTS =
      new LifecyclePolicy(
          DEFAULT_KEY_CACHE_AGE, DEFAULT_RECEIPT_LIFETIME, DEFAULT_SIGNER_KEY_STALENESS);

  public LifecyclePolicy {
    requireNotNegative(keyCacheAge, "keyCacheAge");
    requireNotNegative(receiptLifetime, "receiptLifetime");
    requireNotNegative(signerKeyStaleness, "signerKeyStaleness");
  }

  private static void requireNotNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }
}
