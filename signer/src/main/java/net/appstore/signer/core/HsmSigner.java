package net.appstore.signer.core;

import com.codahale.metrics.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.appstore.receipt.jose.DocumentSigner;
import net.appstore.receipt.jose.SigningException;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.core.SignatureMetrics.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every signature the signer makes goes through here, which keeps a slow or vanished HSM from
 * taking the service down with it (F13):
 *
 * <ol>
 *   <li>while {@link HsmAvailability} says the HSM is down, refuse at once (503 {@code
 *       HSM_UNAVAILABLE});
 *   <li>at most {@code maxConcurrent} signatures run at once; a request that gets no slot within
 *       {@code maxWait} is refused (503 {@code HSM_BUSY});
 *   <li>each signature runs on a worker and the request waits at most {@code callTimeout}; a call
 *       that does not return by then marks the HSM unavailable.
 * </ol>
 *
 * <p>A slot is released when the HSM call returns, not when the request gives up: a PKCS#11 call
 * cannot be interrupted, so calls that hang keep their slots and the bulkhead then turns further
 * requests away instead of piling up threads behind them.
 *
 * <p>Thread-safe.
 */
public final class HsmSigner {

  private static final Logger LOG = LoggerFactory.getLogger(HsmSigner.class);

  /** One signature with a {@link DocumentSigner} bound to an HSM key. */
  @FunctionalInterface
  public interface Signature {
    String sign(DocumentSigner signer) throws SigningException;
  }

  private final HsmAvailability availability;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final Duration maxWait;
  private final Duration callTimeout;
  private final Duration retryAfter;
  private final SignatureMetrics metrics;

  /**
   * @param workers runs the HSM calls; needs at least {@code maxConcurrent} threads
   */
  public HsmSigner(
      HsmAvailability availability,
      int maxConcurrent,
      Duration maxWait,
      Duration callTimeout,
      Duration retryAfter,
      ExecutorService workers,
      SignatureMetrics metrics) {
    this.availability = Objects.requireNonNull(availability, "availability");
    this.slots = new Semaphore(maxConcurrent, true);
    this.workers = Objects.requireNonNull(workers, "workers");
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Refuses at once while the HSM is known to be unavailable, before any other work is done for a
   * request (so the answer names the HSM, not a consequence of it such as an unusable key).
   *
   * @throws ServiceUnavailableException {@code HSM_UNAVAILABLE} or {@code HSM_KEY_FAILURE}
   */
  public void requireAvailable() {
    availability.requireAvailable();
  }

  /**
   * Signs with {@code key}.
   *
   * @throws ServiceUnavailableException 503 when the HSM is unavailable, busy, failing or slow
   */
  public String sign(ActiveKey key, Signature signature) {
    return start(key, signature).await();
  }

  /**
   * Starts a signature with {@code key} on an HSM worker and returns at once, so the caller can do
   * other work meanwhile; {@link Running#await} gives the result. A signature nobody awaits is
   * dropped when it returns (its slot is released then, as for any call).
   *
   * @throws ServiceUnavailableException 503 when the HSM is unavailable or every slot is busy
   */
  public Running start(ActiveKey key, Signature signature) {
    try {
      availability.requireAvailable();
    } catch (ServiceUnavailableException e) {
      metrics.signature(key.purpose(), key.kid(), Outcome.HSM_UNAVAILABLE);
      throw e;
    }
    acquireSlot(key);
    long deadline = System.nanoTime() + callTimeout.toNanos();
    try {
      return new Running(key, workers.submit(() -> timedCall(key, signature)), deadline);
    } catch (RejectedExecutionException e) {
      slots.release();
      throw unavailable(key, Outcome.HSM_FAILURE, "signing workers stopped", e);
    }
  }

  /** A signature in progress on an HSM worker. Used by the thread that started it. */
  public final class Running {
    private final ActiveKey key;
    private final Future<String> call;
    private final long deadline;

    private Running(ActiveKey key, Future<String> call, long deadline) {
      this.key = key;
      this.call = call;
      this.deadline = deadline;
    }

    /**
     * The signature, waiting at most until {@code callTimeout} after the call was started (the time
     * bound of F13 counts from the start, not from this wait).
     *
     * @throws ServiceUnavailableException 503 when the HSM failed the call or did not answer in
     *     time (the HSM is then marked suspect)
     */
    public String await() {
      try {
        return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        availability.suspect("a signature with " + key.kid() + " took longer than " + callTimeout);
        throw unavailable(key, Outcome.HSM_TIMEOUT, "the HSM did not answer in time", null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable(key, Outcome.HSM_FAILURE, "interrupted while signing", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SigningException) {
          // Which kind of failure (token gone, key refused) the canary tells; until then, refuse.
          LOG.warn("signature with {} failed: {}", key.kid(), describe(cause));
          availability.suspect("a signature with " + key.kid() + " failed");
          throw unavailable(key, Outcome.HSM_FAILURE, "the HSM failed the signature", null);
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** Slots free now: for tests, which must know a finished call has handed its slot back. */
  int freeSlots() {
    return slots.availablePermits();
  }

  private void acquireSlot(ActiveKey key) {
    boolean acquired;
    try {
      acquired = slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      metrics.signature(key.purpose(), key.kid(), Outcome.HSM_BUSY);
      throw new ServiceUnavailableException(
          "HSM_BUSY", "every HSM signing slot is in use", retryAfter);
    }
  }

  private String timedCall(ActiveKey key, Signature signature) throws SigningException {
    try (Timer.Context ignored = metrics.hsmLatency().time()) {
      return signature.sign(key.signer());
    } finally {
      slots.release();
    }
  }

  private ServiceUnavailableException unavailable(
      ActiveKey key, Outcome outcome, String message, Throwable cause) {
    metrics.signature(key.purpose(), key.kid(), outcome);
    return new ServiceUnavailableException(
        HsmAvailability.HSM_UNAVAILABLE, message, retryAfter, cause);
  }

  /** Exception classes and messages down the chain (PKCS#11 codes, never key material). */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (text.length() > 0) {
        text.append(" <- ");
      }
      text.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }
}
