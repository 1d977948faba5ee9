package net.appstore.signer.core;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.Locale;
import net.appstore.keys.KeyPurpose;

/**
 * The signer's counters, named so that the Prometheus export keeps them apart: {@code
 * signer.signatures.<purpose>.<outcome>}, {@code signer.signatures.kid.<kid>.<outcome>}, {@code
 * signer.rejections.<reason>}, the HSM latency timer {@code signer.hsm.sign} and the
 * verify-after-sign timer {@code signer.verify_after_sign}. Thread-safe.
 */
public final class SignatureMetrics {

  /** How a signature attempt ended. */
  public enum Outcome {
    /** Signed and verified in software. */
    OK,
    /** Refused without touching the HSM: it is known to be unavailable. */
    HSM_UNAVAILABLE,
    /** No free signing slot within the bulkhead's wait. */
    HSM_BUSY,
    /** The HSM did not answer within the time bound. */
    HSM_TIMEOUT,
    /** The HSM failed the call. */
    HSM_FAILURE,
    /** The signature did not verify (F14): never returned. */
    BAD_SIGNATURE;

    String metricName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MetricRegistry metrics;
  private final Timer hsmLatency;
  private final Timer verifyLatency;

  public SignatureMetrics(MetricRegistry metrics) {
    this.metrics = metrics;
    this.hsmLatency = metrics.timer("signer.hsm.sign");
    this.verifyLatency = metrics.timer("signer.verify_after_sign");
  }

  public void signature(KeyPurpose purpose, String kid, Outcome outcome) {
    metrics.counter("signer.signatures." + purpose.wireName() + "." + outcome.metricName()).inc();
    metrics.counter("signer.signatures.kid." + kid + "." + outcome.metricName()).inc();
  }

  public void rejection(String reason) {
    metrics.counter("signer.rejections." + reason).inc();
  }

  Timer hsmLatency() {
    return hsmLatency;
  }

  Timer verifyLatency() {
    return verifyLatency;
  }
}
