package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.appstore.receipt.ReceiptType;

/** What the signer puts into receipts beyond the caller's claims, and how much input it reads. */
public class ReceiptsFactory {

  /** Lifetime ({@code exp - iat}) per receipt typ; every typ a caller may sign needs one. */
  @NotEmpty @JsonProperty private Map<String, Duration> lifetimes = new LinkedHashMap<>();

  /** How far in the future a caller's {@code nbf} may lie (clocks of store and signer differ). */
  @NotNull
  @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
  @JsonProperty
  private Duration maxClockSkew = Duration.seconds(60);

  /** Request bodies above this are refused (413) before they are parsed. */
  @Min(256)
  @Max(65536)
  @JsonProperty
  private int maxBodyBytes = 8192;

  /**
   * The lifetimes by typ.
   *
   * @throws IllegalArgumentException for an unknown typ or a lifetime under a minute
   */
  public Map<ReceiptType, java.time.Duration> lifetimes() {
    Map<ReceiptType, java.time.Duration> byType = new EnumMap<>(ReceiptType.class);
    for (Map.Entry<String, Duration> e : lifetimes.entrySet()) {
      ReceiptType type =
          ReceiptType.fromClaimValue(e.getKey())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "receipts.lifetimes: unknown receipt typ '" + e.getKey() + "'"));
      java.time.Duration lifetime = e.getValue().toJavaDuration();
      if (lifetime.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException(
            "receipts.lifetimes." + e.getKey() + " must be at least a minute");
      }
      byType.put(type, lifetime);
    }
    return byType;
  }

  public java.time.Duration getMaxClockSkew() {
    return maxClockSkew.toJavaDuration();
  }

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }
}
