package net.appstore.keytool.lifecycle;

import static net.appstore.keytool.HumanTime.duration;
import static net.appstore.keytool.HumanTime.instant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;

/**
 * The lifecycle rules of DESIGN.md as a state machine that refuses unsafe steps, like Tink's {@code
 * KeysetManager} ("cannot disable the primary key"): each method either returns the transitions to
 * apply or throws a {@link LifecycleRefusedException} saying why not and what to do instead. It
 * only decides; callers apply the transitions to the registry under the purpose lock, with the rows
 * they just read.
 *
 * <ul>
 *   <li>publish: only a GENERATED key that has not expired;
 *   <li>activate: only a PUBLISHED key inside its validity window, and only once it has been
 *       published for the key-cache age ({@code force} overrides the wait, never the validity); the
 *       previous ACTIVE key moves to RETIRING in the same step, so a purpose never has two ACTIVE
 *       keys and never loses its only one;
 *   <li>retire: never the ACTIVE key; a RETIRING key only once nothing it signed can still be valid
 *       ({@code force} withdraws it earlier, e.g. after a compromise); a PUBLISHED key that never
 *       signed at any time;
 *   <li>destroy (irreversible, no override): a GENERATED key, or a RETIRED key whose receipts can
 *       no longer be valid.
 * </ul>
 *
 * <p>The root is not a signing key: it is created by {@code init} and refused here. Immutable and
 * thread-safe; time comes from the caller.
 */
public final class KeyLifecycle {

  private final LifecyclePolicy policy;

  public KeyLifecycle(LifecyclePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public LifecyclePolicy policy() {
    return policy;
  }

  /** GENERATED → PUBLISHED. */
  public Transition publish(RegisteredKey key, Instant now) throws LifecycleRefusedException {
    requireSigningKey(key, "published");
    if (key.state() != KeyState.GENERATED) {
      throw refused(key, "is " + key.state() + "; only a GENERATED key can be published");
    }
    if (!now.isBefore(key.notAfter())) {
      throw refused(
          key,
          "expired at " + instant(key.notAfter()) + "; publishing it would serve a useless key");
    }
    return Transition.of(key, KeyState.PUBLISHED);
  }

  /** The moment a PUBLISHED key has been published for the key-cache age. */
  public Optional<Instant> activationAllowedFrom(RegisteredKey key) {
    return key.publishedAt().map(published -> published.plus(policy.keyCacheAge()));
  }

  /**
   * PUBLISHED → ACTIVE, and the purpose's current ACTIVE key (if any) → RETIRING, in that order of
   * application: retire first, so the one-ACTIVE-per-purpose index never sees two.
   *
   * @param current the purpose's ACTIVE key as read under the purpose lock
   * @param force activate before the key-cache age has passed (recorded as forced)
   */
  public List<Transition> activate(
      RegisteredKey key, Optional<RegisteredKey> current, Instant now, boolean force)
      throws LifecycleRefusedException {
    requireSigningKey(key, "activated");
    switch (key.state()) {
      case PUBLISHED -> {}
      case ACTIVE -> throw refused(key, "is ACTIVE already");
      case GENERATED ->
          throw refused(
              key,
              "is GENERATED: publish it first; it can be activated "
                  + duration(policy.keyCacheAge())
                  + " (the key-cache age) after publication");
      default -> throw refused(key, "is " + key.state() + "; a key never becomes ACTIVE again");
    }
    if (!key.isValidAt(now)) {
      throw refused(
          key,
          "is outside its validity window ["
              + instant(key.notBefore())
              + ", "
              + instant(key.notAfter())
              + "): it must not sign (no override)");
    }
    Instant allowedFrom = activationAllowedFrom(key).orElseThrow();
    Transition activation;
    if (now.isBefore(allowedFrom)) {
      Duration published = Duration.between(key.publishedAt().orElseThrow(), now);
      String early =
          "published only "
              + duration(published)
              + " ago; verifiers may cache the key set for "
              + duration(policy.keyCacheAge());
      if (!force) {
        throw refused(
            key,
            "was "
                + early
                + " and would reject its receipts: activation allowed from "
                + instant(allowedFrom)
                + " (--force overrides, e.g. when the ACTIVE key has expired)");
      }
      activation = Transition.forced(key, KeyState.ACTIVE, "forced activation: " + early);
    } else {
      activation = Transition.of(key, KeyState.ACTIVE);
    }
    List<Transition> steps = new ArrayList<>(2);
    current
        .filter(active -> !active.kid().equals(key.kid()))
        .ifPresent(
            active ->
                steps.add(Transition.of(active, KeyState.RETIRING, "succeeded by " + key.kid())));
    steps.add(activation);
    return steps;
  }

  /**
   * Until when documents signed by the key can be valid: the last moment it can have signed (when
   * it stopped being ACTIVE plus the signer's staleness, or when it expired) plus the receipt
   * lifetime. Empty if the key never was ACTIVE, so never signed.
   *
   * @throws IllegalStateException for a key that is still ACTIVE (its end is not known yet)
   */
  public Optional<Instant> receiptsValidUntil(RegisteredKey key) {
    if (key.activatedAt().isEmpty() && key.retiringAt().isEmpty()) {
      return Optional.empty();
    }
    Instant stopped =
        key.retiringAt()
            .orElseThrow(() -> new IllegalStateException(key.kid() + " is still signing"))
            .plus(policy.signerKeyStaleness());
    Instant lastSignature = stopped.isBefore(key.notAfter()) ? stopped : key.notAfter();
    return Optional.of(lastSignature.plus(policy.receiptLifetime()));
  }

  /**
   * RETIRING → RETIRED (out of the key set), or PUBLISHED → RETIRED for a successor that never
   * signed.
   *
   * @param force withdraw a RETIRING key whose receipts may still be valid (they stop verifying)
   */
  public Transition retire(RegisteredKey key, Instant now, boolean force)
      throws LifecycleRefusedException {
    requireSigningKey(key, "retired");
    switch (key.state()) {
      case ACTIVE ->
          throw refused(
              key,
              "is the ACTIVE "
                  + key.purpose().wireName()
                  + " key: retiring it would leave nothing to sign with; activate a successor,"
                  + " which moves it to RETIRING (keytool rotate --purpose "
                  + key.purpose().wireName()
                  + ")");
      case PUBLISHED -> {
        return Transition.of(key, KeyState.RETIRED, "withdrawn before it ever signed");
      }
      case RETIRING -> {}
      case GENERATED -> throw refused(key, "was never published; destroy it instead");
      default -> throw refused(key, "is " + key.state() + " already");
    }
    Instant until = receiptsValidUntil(key).orElse(now);
    if (!now.isBefore(until)) {
      return Transition.of(key, KeyState.RETIRED);
    }
    String stillValid = "receipts it signed may be valid until " + instant(until);
    if (!force) {
      throw refused(
          key,
          "is RETIRING (verify only) and "
              + stillValid
              + "; retiring it removes it from the key set and they would stop verifying"
              + " (--force does that on purpose, e.g. after a compromise)");
    }
    return Transition.forced(
        key, KeyState.RETIRED, "forced retirement: " + stillValid + " stop verifying");
  }

  /** GENERATED or RETIRED → DESTROYED; the caller then deletes the HSM objects. */
  public Transition destroy(RegisteredKey key, Instant now) throws LifecycleRefusedException {
    requireSigningKey(key, "destroyed");
    switch (key.state()) {
      case GENERATED -> {
        return Transition.of(key, KeyState.DESTROYED, "never published");
      }
      case RETIRED -> {}
      case DESTROYED -> throw refused(key, "is DESTROYED already");
      default ->
          throw refused(
              key,
              "is "
                  + key.state()
                  + "; only a RETIRED (or never published) key can be destroyed: retire it first");
    }
    Optional<Instant> until = receiptsValidUntil(key);
    if (until.isPresent() && now.isBefore(until.get())) {
      throw refused(
          key,
          "signed receipts that may be valid until "
              + instant(until.get())
              + "; destroying it is irreversible and is allowed from then on (no override)");
    }
    return Transition.of(key, KeyState.DESTROYED);
  }

  private static void requireSigningKey(RegisteredKey key, String step)
      throws LifecycleRefusedException {
    if (key.purpose() == KeyPurpose.ROOT) {
      throw new LifecycleRefusedException(
          key.kid()
              + " is the root: it certifies the signing keys and is never "
              + step
              + " by lifecycle commands");
    }
  }

  private static LifecycleRefusedException refused(RegisteredKey key, String why) {
    return new LifecycleRefusedException(key.kid() + " " + why);
  }
}
