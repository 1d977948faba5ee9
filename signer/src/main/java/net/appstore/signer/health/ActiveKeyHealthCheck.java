package net.appstore.signer.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import net.appstore.keys.KeyPurpose;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.core.ActiveKey;
import net.appstore.signer.core.ActiveKeys;

/**
 * Whether the signer has a key of one purpose that may sign now (present in the registry, found in
 * the HSM, inside its validity window), and how long it stays valid. Within {@code expiryWarning}
 * of its end it stays healthy but says so (the alert fires on the days-until-expiry gauge).
 *
 * <p>For the blocklist key, {@code critical} is false: a missing blocklist key is reported in the
 * message but keeps the signer ready, because receipts (the purchase path) do not depend on it.
 */
public final class ActiveKeyHealthCheck extends HealthCheck {

  private final ActiveKeys keys;
  private final KeyPurpose purpose;
  private final boolean critical;
  private final Duration expiryWarning;
  private final Clock clock;

  public ActiveKeyHealthCheck(
      ActiveKeys keys, KeyPurpose purpose, boolean critical, Duration expiryWarning, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.purpose = Objects.requireNonNull(purpose, "purpose");
    this.critical = critical;
    this.expiryWarning = Objects.requireNonNull(expiryWarning, "expiryWarning");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  protected Result check() {
    ActiveKey key;
    try {
      key = keys.require(purpose);
    } catch (ServiceUnavailableException e) {
      String message = e.reason() + ": " + e.getMessage();
      return critical
          ? Result.unhealthy(message)
          : Result.healthy("WARNING, " + purpose.wireName() + " signing refused: " + message);
    }
    Instant now = clock.instant();
    Duration left = Duration.between(now, key.notAfter());
    String text = key.kid() + " valid until " + key.notAfter() + " (" + left.toDays() + " days)";
    if (left.compareTo(expiryWarning) < 0) {
      return Result.healthy("WARNING, expires soon: " + text + "; rotate the key");
    }
    return Result.healthy(text);
  }

  /** Days the key of this purpose may still sign; 0 without a key, negative once expired. */
  public static double daysUntilExpiry(ActiveKeys keys, KeyPurpose purpose, Clock clock) {
    Optional<ActiveKey> key = keys.current(purpose);
    return key.map(k -> Duration.between(clock.instant(), k.notAfter()).toSeconds() / 86400.0)
        .orElse(0.0);
  }
}
