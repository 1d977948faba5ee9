package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** How the JWKS is served. */
public class JwksFactory {

  /**
   * {@code Cache-Control: max-age}: how long verifiers may cache the key set. Keytool must keep a
   * new key PUBLISHED at least this long before activating it.
   */
  @NotNull @JsonProperty private Duration maxAge = Duration.minutes(5);

  /** How long the signer reuses what it read from the registry before reading it again. */
  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.SECONDS)
  @JsonProperty
  private Duration refreshInterval = Duration.seconds(10);

  /** How long the last good key set is served while the registry cannot be read. */
  @NotNull @JsonProperty private Duration maxStale = Duration.hours(1);

  public java.time.Duration getMaxAge() {
    return maxAge.toJavaDuration();
  }

  public java.time.Duration getRefreshInterval() {
    return refreshInterval.toJavaDuration();
  }

  public java.time.Duration getMaxStale() {
    return maxStale.toJavaDuration();
  }
}
