package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.appstore.hsm.HsmSettings;

/**
 * Where the HSM is and how the signer treats it: the token, the PIN (from {@code ${HSM_PIN}}), how
 * many signatures may run at once, how long a caller waits for one, and how an unavailable HSM is
 * watched and recovered (see {@code net.appstore.signer.core.HsmMonitor}).
 */
public class HsmFactory {

  @NotEmpty @JsonProperty private String library;

  @NotEmpty @JsonProperty private String tokenLabel;

  /** Never logged or printed: {@link #toString()} leaves it out. */
  @NotEmpty @JsonProperty private String pin;

  /** Signatures in flight at once (HSM sessions). A hung call keeps its permit until it returns. */
  @Min(1)
  @Max(64)
  @JsonProperty
  private int maxConcurrentSignatures = 4;

  /** How long a request waits for a free signing slot before it is answered 503 HSM_BUSY. */
  @NotNull @JsonProperty private Duration maxWait = Duration.milliseconds(100);

  /** How long one signature may take before the HSM counts as unavailable (F13). */
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  private Duration signTimeout = Duration.milliseconds(500);

  /** The Retry-After given with 503 answers caused by the HSM. */
  @NotNull @JsonProperty private Duration retryAfter = Duration.seconds(5);

  /** Time bound of one canary (fresh lookup, sign, verify). */
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  private Duration canaryTimeout = Duration.seconds(2);

  /** How often the canary runs while the HSM is available. */
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  private Duration canaryInterval = Duration.seconds(5);

  /** How often, while the HSM is unavailable, a fresh process probes whether it is back. */
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  private Duration probeInterval = Duration.seconds(2);

  /** How long one probe process may run. */
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty
  private Duration probeTimeout = Duration.seconds(20);

  /**
   * Whether the signer exits with {@code SignerApplication.EXIT_HSM_RECOVERED} once a probe sees
   * the HSM back, so its supervisor restarts it with a freshly initialised PKCS#11 library. Off
   * only where no supervisor runs the process.
   */
  @JsonProperty private boolean restartWhenRecovered = true;

  public HsmSettings settings() {
    return new HsmSettings(Path.of(library), tokenLabel);
  }

  /** A fresh copy of the PIN; the caller clears it after use. */
  public char[] pin() {
    return pin.toCharArray();
  }

  public int getMaxConcurrentSignatures() {
    return maxConcurrentSignatures;
  }

  public java.time.Duration getMaxWait() {
    return maxWait.toJavaDuration();
  }

  public java.time.Duration getSignTimeout() {
    return signTimeout.toJavaDuration();
  }

  public java.time.Duration getRetryAfter() {
    return retryAfter.toJavaDuration();
  }

  public java.time.Duration getCanaryTimeout() {
    return canaryTimeout.toJavaDuration();
  }

  public java.time.Duration getCanaryInterval() {
    return canaryInterval.toJavaDuration();
  }

  public java.time.Duration getProbeInterval() {
    return probeInterval.toJavaDuration();
  }

  public java.time.Duration getProbeTimeout() {
    return probeTimeout.toJavaDuration();
  }

  public boolean isRestartWhenRecovered() {
    return restartWhenRecovered;
  }

  @Override
  public String toString() {
    return "HsmFactory[library=" + library + ", tokenLabel=" + tokenLabel + ", pin=(hidden)]";
  }
}
