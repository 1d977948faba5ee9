package net.appstore.verifier;

import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.appstore.receipt.verify.VerifierSettings;

/**
 * What a receipt must say to be accepted, beyond its signature ({@code receipts:} in the YAML).
 * Test receipts are refused unless {@code allowTestReceipts} is set, which only test deployments
 * do.
 */
public class ReceiptPolicyFactory {

  /** Exact {@code iss} values accepted. */
  @NotEmpty private Set<String> allowedIssuers = Set.of();

  private boolean allowTestReceipts = false;

  /** How far {@code nbf} and {@code iat} may lie in the future; never applied to {@code exp}. */
  @NotNull
  @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
  private Duration maxClockSkew = Duration.seconds(60);

  /**
   * Largest request body read: a token may be 16 KiB (JosePolicy), plus room for the JSON form.
   * Larger bodies are refused (413) before a byte is parsed.
   */
  @NotNull
  @MinDataSize(value = 16, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
  @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
  private DataSize maxBodySize = DataSize.kibibytes(20);

  public VerifierSettings settings() {
    VerifierSettings settings =
        VerifierSettings.forIssuers(allowedIssuers).withMaxClockSkew(maxClockSkew.toJavaDuration());
    return allowTestReceipts ? settings.allowingTestReceipts() : settings;
  }

  public Set<String> getAllowedIssuers() {
    return allowedIssuers;
  }

  public void setAllowedIssuers(Set<String> allowedIssuers) {
    this.allowedIssuers = allowedIssuers;
  }

  public boolean isAllowTestReceipts() {
    return allowTestReceipts;
  }

  public void setAllowTestReceipts(boolean allowTestReceipts) {
    this.allowTestReceipts = allowTestReceipts;
  }

  public Duration getMaxClockSkew() {
    return maxClockSkew;
  }

  public void setMaxClockSkew(Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  public DataSize getMaxBodySize() {
    return maxBodySize;
  }

  public void setMaxBodySize(DataSize maxBodySize) {
    this.maxBodySize = maxBodySize;
  }
}
