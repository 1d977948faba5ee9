package net.appstore.signer.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.Objects;
import net.appstore.hsm.HsmException;
import net.appstore.signer.core.HsmAvailability;
import net.appstore.signer.core.HsmMonitor;

/**
 * Readiness of the HSM: runs the canary now (fresh lookup of every key in use, a signature in the
 * HSM verified in software, under a time bound). Unhealthy while the token is gone, hangs, or
 * refuses a key; {@code /__heartbeat__} then answers 503.
 */
public final class HsmHealthCheck extends HealthCheck {

  private final HsmMonitor monitor;
  private final HsmAvailability availability;

  public HsmHealthCheck(HsmMonitor monitor, HsmAvailability availability) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.availability = Objects.requireNonNull(availability, "availability");
  }

  @Override
  protected Result check() {
    try {
      monitor.checkNow();
      return Result.healthy("canary signed and verified");
    } catch (HsmException e) {
      HsmAvailability.Status status = availability.status();
      return Result.unhealthy(status.state() + " since " + status.since() + ": " + e.getMessage());
    }
  }
}
