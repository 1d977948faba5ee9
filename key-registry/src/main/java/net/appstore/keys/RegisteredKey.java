package net.appstore.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of the key registry: public material and lifecycle facts only; the private key stays in
 * the HSM under {@code hsmLabel}.
 *
 * @param certificateChain x5c order: base64 DER, the key's certificate first, the root last
 */
public record RegisteredKey(
    String kid,
    KeyPurpose purpose,
    String alg,
    KeyState state,
    String hsmLabel,
    String publicJwk,
    List<String> certificateChain,
    Instant notBefore,
    Instant notAfter,
    Instant createdAt,
    Optional<Instant> publishedAt,
    Optional<Instant> activatedAt,
    Optional<Instant> retiringAt,
    Optional<Instant> retiredAt,
    Optional<Instant> destroyedAt) {

  public RegisteredKey {
    certificateChain = List.copyOf(certificateChain);
  }

  /** Whether the key may sign at {@code now}: its validity window is [notBefore, notAfter). */
  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore) && now.isBefore(notAfter);
  }
}
