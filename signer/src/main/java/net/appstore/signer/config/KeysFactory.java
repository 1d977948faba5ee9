package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** How the active keys are taken from the key registry. */
public class KeysFactory {

  /** How often the registry is read for the ACTIVE keys (a change is picked up within this). */
  @NotNull
  @MinDuration(value = 50, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  private Duration refreshInterval = Duration.seconds(5);

  /**
   * How long the signer keeps signing with what it last read while the registry cannot be read. A
   * key retired meanwhile would keep signing this long at most; after it, signing is refused.
   */
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty
  private Duration maxStaleness = Duration.seconds(60);

  /** Below this remaining validity the key health check warns (the alert threshold). */
  @NotNull @JsonProperty private Duration expiryWarning = Duration.days(30);

  public java.time.Duration getRefreshInterval() {
    return refreshInterval.toJavaDuration();
  }

  public java.time.Duration getMaxStaleness() {
    return maxStaleness.toJavaDuration();
  }

  public java.time.Duration getExpiryWarning() {
    return expiryWarning.toJavaDuration();
  }
}
