package net.appstore.receipt;

/**
 * Why a token was refused. The constant names are a stable wire format: the verifier returns them
 * as {@code reason}, dashboards count them, and the known-answer vectors name them. Add constants;
 * never rename or reuse one.
 *
 * <p>Listed in the order the verifier checks them, cheapest first.
 */
public enum RejectionReason {
  /** Longer than the policy's maximum, refused before any decoding. */
  TOO_LARGE,
  /**
   * Not a compact JWS (three non-empty, canonical base64url segments, nothing else), or a header or
   * payload that is not a JSON object.
   */
  ERROR_DECODING,
  /** Header {@code alg} is missing or not one of RS256, PS256, ES256 (case-sensitive). */
  ALG_NOT_ALLOWED,
  /** Header carries a parameter other than {@code alg}, {@code kid}, {@code typ}. */
  FORBIDDEN_HEADER,
  /** Header {@code typ} is not the expected document type, or the {@code typ} claim is unknown. */
  WRONG_TYPE,
  /** Header has no usable {@code kid}, so no key can be chosen. */
  MISSING_KEY_ID,
  /** The key source is healthy and does not know the {@code kid}. */
  UNKNOWN_KEY,
  /** Header {@code alg} differs from the algorithm the key is pinned to. */
  ALG_MISMATCH,
  /**
   * The key's certificate chain does not lead to the pinned root, does not certify this key, or was
   * not valid at the token's {@code iat}.
   */
  UNTRUSTED_KEY,
  /** The signature does not verify with the key. */
  BAD_SIGNATURE,
  /** Signed, but a claim is missing, ill-typed or out of range. */
  MALFORMED_CLAIMS,
  /** A receipt type this verifier is configured not to accept (test receipts by default). */
  TYPE_NOT_ALLOWED,
  /** {@code iss} is not on the verifier's issuer allowlist. */
  WRONG_ISSUER,
  /** {@code nbf} or {@code iat} lies in the future by more than the allowed clock skew. */
  NOT_YET_VALID,
  /** {@code exp} is now or in the past. */
  EXPIRED
}
