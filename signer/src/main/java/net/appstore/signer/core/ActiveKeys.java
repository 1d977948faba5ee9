package net.appstore.signer.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmKeyType;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.SigningKey;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.verify.VerifierSettings;
import net.appstore.service.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACTIVE receipt and blocklist keys, read from the key registry and looked up in the HSM,
 * cached between refreshes.
 *
 * <p>Behaviour, exactly: {@link #refresh()} (scheduled every {@code keys.refreshInterval}) reads
 * the ACTIVE row of each purpose; an unchanged row keeps its HSM handle, a changed one (rotation,
 * new validity window) is looked up in the HSM afresh. While the registry cannot be read, the last
 * keys stay in use for at most {@code maxStaleness} since the last good read; after that signing is
 * refused ({@code KEY_REGISTRY_UNAVAILABLE}), so a key retired meanwhile cannot sign for long.
 * {@link #require} checks the validity window against the clock on every call (F12), so expiry
 * needs no refresh.
 *
 * <p>Thread-safe: refreshes are serialised; readers see a consistent snapshot per purpose.
 */
public final class ActiveKeys {

  private static final Logger LOG = LoggerFactory.getLogger(ActiveKeys.class);

  /** 503 reason when no key may sign: none ACTIVE, outside its window, or unusable in the HSM. */
  public static final String NO_VALID_KEY = "NO_VALID_KEY";

  /** 503 reason when the registry has not been read for longer than allowed. */
  public static final String KEY_REGISTRY_UNAVAILABLE = "KEY_REGISTRY_UNAVAILABLE";

  /**
   * What one purpose looked like at the last refresh.
   *
   * @param canaryLabel the HSM label the canary must exercise: the registry's ACTIVE key when it is
   *     loaded or the HSM failed its lookup; none when the HSM answered and refused the key (that
   *     is this purpose's own problem, reported as NO_VALID_KEY, not the HSM's)
   */
  private record Slot(
      Optional<ActiveKey> key, String problem, Instant readAt, Optional<String> canaryLabel) {}

  private final Jdbi jdbi;
  private final HsmConnection hsm;
  private final VerifierSettings verifierSettings;
  private final Clock clock;
  private final Duration maxStaleness;
  private final Duration retryAfter;
  private final Object refreshing = new Object();
  private volatile Map<KeyPurpose, Slot> slots;

  public ActiveKeys(
      Jdbi jdbi,
      HsmConnection hsm,
      VerifierSettings verifierSettings,
      Clock clock,
      Duration maxStaleness,
      Duration retryAfter) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.hsm = Objects.requireNonNull(hsm, "hsm");
    this.verifierSettings = Objects.requireNonNull(verifierSettings, "verifierSettings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    Map<KeyPurpose, Slot> initial = new EnumMap<>(KeyPurpose.class);
    for (KeyPurpose purpose : signingPurposes()) {
      initial.put(
          purpose,
          new Slot(
              Optional.empty(),
              "the key registry was not read yet",
              Instant.EPOCH,
              Optional.empty()));
    }
    this.slots = Map.copyOf(initial);
  }

  /** The purposes the signer signs with. */
  public static List<KeyPurpose> signingPurposes() {
    return List.of(KeyPurpose.RECEIPT, KeyPurpose.BLOCKLIST);
  }

  /**
   * Reads the registry and updates every purpose; failures are logged, never thrown. Readers keep
   * using the previous snapshot until the new one is complete.
   */
  public void refresh() {
    synchronized (refreshing) {
      refreshLocked();
    }
  }

  private void refreshLocked() {
    List<Optional<RegisteredKey>> rows = new ArrayList<>();
    try {
      jdbi.useHandle(
          handle -> {
            KeyRegistryDao dao = handle.attach(KeyRegistryDao.class);
            for (KeyPurpose purpose : signingPurposes()) {
              rows.add(dao.findActive(purpose));
            }
          });
    } catch (JdbiException e) {
      LOG.warn(
          "key registry unreadable, keeping the keys read at {}: {}", oldestRead(), e.getMessage());
      return;
    }
    Instant now = clock.instant();
    Map<KeyPurpose, Slot> next = new EnumMap<>(KeyPurpose.class);
    for (int i = 0; i < rows.size(); i++) {
      KeyPurpose purpose = signingPurposes().get(i);
      Slot before = slots.get(purpose);
      Slot after = load(purpose, rows.get(i), before, now);
      if (!after.problem().equals(before.problem())
          || !after.key().map(ActiveKey::kid).equals(before.key().map(ActiveKey::kid))) {
        after
            .key()
            .ifPresent(
                k ->
                    LOG.info(
                        "{} key now {} (HSM label {})", purpose.wireName(), k.kid(), k.hsmLabel()));
        if (after.key().isEmpty()) {
          LOG.error("no usable {} key: {}", purpose.wireName(), after.problem());
        }
      }
      next.put(purpose, after);
    }
    slots = Map.copyOf(next);
  }

  private Slot load(KeyPurpose purpose, Optional<RegisteredKey> row, Slot before, Instant now) {
    if (row.isEmpty()) {
      return new Slot(
          Optional.empty(),
          "no ACTIVE " + purpose.wireName() + " key in the key registry",
          now,
          Optional.empty());
    }
    RegisteredKey registered = row.get();
    Optional<String> label = Optional.of(registered.hsmLabel());
    if (before.key().isPresent() && before.key().get().registered().equals(registered)) {
      return new Slot(before.key(), "", now, label);
    }
    try {
      return new Slot(Optional.of(build(registered)), "", now, label);
    } catch (HsmKeyException e) {
      return new Slot(
          Optional.empty(),
          "key " + registered.kid() + " cannot be used in the HSM: " + e.reason(),
          now,
          Optional.empty());
    } catch (HsmException e) {
      // HSM down: keep the old key if it is the same kid (its handle may work again after a hang).
      return new Slot(
          before.key().filter(k -> k.kid().equals(registered.kid())),
          "the HSM is unavailable: key " + registered.kid() + " could not be looked up",
          now,
          label);
    } catch (RuntimeException e) {
      return new Slot(
          Optional.empty(),
          "key " + registered.kid() + " is unusable: " + e.getMessage(),
          now,
          Optional.empty());
    }
  }

  private ActiveKey build(RegisteredKey registered) throws HsmException {
    PublishedKey published = PublishedKeys.toPublishedKey(registered);
    SigningAlgorithm algorithm = published.algorithm();
    HsmKey hsmKey = hsm.key(registered.hsmLabel(), HsmKeyType.forJwsAlgorithm(algorithm.name()));
    SigningKey signingKey =
        new SigningKey(
            registered.kid(), algorithm, hsmKey.privateKey(), hsm.token().orElseThrow().provider());
    return new ActiveKey(registered, published, signingKey, verifierSettings, clock);
  }

  /**
   * The key to sign with now.
   *
   * @throws ServiceUnavailableException {@value #NO_VALID_KEY} if there is none or it is outside
   *     its validity window; {@value #KEY_REGISTRY_UNAVAILABLE} if the registry was last read too
   *     long ago
   */
  public ActiveKey require(KeyPurpose purpose) {
    Slot slot = slots(purpose);
    Instant now = clock.instant();
    if (slot.readAt().plus(maxStaleness).isBefore(now)) {
      throw new ServiceUnavailableException(
          KEY_REGISTRY_UNAVAILABLE,
          "the key registry has not been read since " + slot.readAt(),
          retryAfter);
    }
    ActiveKey key =
        slot.key()
            .orElseThrow(
                () -> new ServiceUnavailableException(NO_VALID_KEY, slot.problem(), retryAfter));
    if (!key.isValidAt(now)) {
      throw new ServiceUnavailableException(
          NO_VALID_KEY,
          "key "
              + key.kid()
              + " may sign only from "
              + key.notBefore()
              + " until "
              + key.notAfter(),
          retryAfter);
    }
    return key;
  }

  /** The key last loaded for this purpose, valid or not. */
  public Optional<ActiveKey> current(KeyPurpose purpose) {
    return slots(purpose).key();
  }

  /** The kids of the keys loaded for signing, every purpose, valid or not. */
  public Set<String> loadedKids() {
    Set<String> kids = new HashSet<>();
    for (Slot slot : slots.values()) {
      slot.key().ifPresent(key -> kids.add(key.kid()));
    }
    return kids;
  }

  /** Why there is no key for this purpose, or empty. */
  public String problem(KeyPurpose purpose) {
    return slots(purpose).problem();
  }

  /**
   * The HSM labels of the registry's ACTIVE keys that are loaded or whose lookup the HSM failed:
   * what the canary exercises. A key this process failed to look up must fail the canary, so that
   * the HSM monitor's recovery (a fresh process; SunPKCS11 does not recover a lost token
   * in-process) starts: a signer that started while its token was unavailable otherwise held "no
   * usable key" for good while its canary, with no key to exercise, passed.
   */
  public List<String> hsmLabels() {
    List<String> labels = new ArrayList<>();
    for (KeyPurpose purpose : signingPurposes()) {
      slots(purpose).canaryLabel().ifPresent(labels::add);
    }
    return labels;
  }

  private Slot slots(KeyPurpose purpose) {
    Slot slot = slots.get(purpose);
    if (slot == null) {
      throw new IllegalArgumentException("the signer does not sign with " + purpose + " keys");
    }
    return slot;
  }

  private Instant oldestRead() {
    return slots.values().stream().map(Slot::readAt).min(Instant::compareTo).orElse(Instant.EPOCH);
  }
}
