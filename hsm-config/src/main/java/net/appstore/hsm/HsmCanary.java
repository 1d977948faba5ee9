package net.appstore.hsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.Signature;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.appstore.hsm.HsmKeyException.Reason;

/**
 * Proves a key is usable end to end, for health checks: looks the label up afresh (the alias must
 * be present), signs a fixed input in the HSM and verifies the signature in software with the
 * certificate's public key, all within a time bound.
 *
 * <p>Looking the key up each time matters: after the token goes away SunPKCS11 shows an empty key
 * store rather than an error, and cached handles fail; only a fresh lookup plus a real signature
 * tells. The work runs on one daemon thread of this canary; a PKCS#11 call that hangs cannot be
 * interrupted, so while it hangs every check fails fast as unavailable instead of piling up.
 *
 * <p>Thread-safe: checks are serialised.
 */
public final class HsmCanary implements AutoCloseable {

  private static final byte[] INPUT =
      "hsm canary: a fixed input, never a receipt".getBytes(StandardCharsets.US_ASCII);

  private final HsmToken token;
  private final Duration timeout;
  private final ExecutorService worker;
  private Future<?> running;

  /**
   * @param token the token to check
   * @param timeout how long one check may take before it counts as "HSM unavailable"
   */
  public HsmCanary(HsmToken token, Duration timeout) {
    this.token = Objects.requireNonNull(token, "token");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "hsm-canary-" + token.settings().tokenLabel());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs one check on the key with this label.
   *
   * @return how long the check took
   * @throws HsmUnavailableException if the token does not answer, or the check does not finish
   *     within the timeout, or a previous check is still hanging
   * @throws HsmKeyException if the alias is absent on a present token, the key is of an unsupported
   *     type, or its signature does not verify with its certificate
   */
  public synchronized Duration check(String label) throws HsmException {
    HsmToken.requireKeyLabel(label);
    if (running != null && !running.isDone()) {
      throw new HsmUnavailableException(
          "previous canary check on " + tokenName() + " is still running: the HSM call hangs",
          null);
    }
    long start = System.nanoTime();
    Future<?> check = worker.submit(() -> signAndVerify(label));
    running = check;
    try {
      check.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return Duration.ofNanos(System.nanoTime() - start);
    } catch (TimeoutException e) {
      throw new HsmUnavailableException(
          "canary for '" + label + "' on " + tokenName() + " took longer than " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HsmUnavailableException("canary for '" + label + "' interrupted", e);
    } catch (ExecutionException e) {
      throw token.failure("canary for '" + label + "' on " + tokenName(), e.getCause());
    }
  }

  private Void signAndVerify(String label) throws HsmException {
    HsmKey key = token.key(label);
    String algorithm = key.type().canarySignatureAlgorithm();
    byte[] signature;
    try {
      Signature signer = Signature.getInstance(algorithm, token.provider());
      signer.initSign(key.privateKey());
      signer.update(INPUT);
      signature = signer.sign();
    } catch (GeneralSecurityException | ProviderException e) {
      throw token.failure("canary signature with '" + label + "' on " + tokenName(), e);
    }
    if (!verifiesInSoftware(key, algorithm, signature)) {
      throw new HsmKeyException(
          Reason.KEY_UNUSABLE,
          "canary signature of '" + label + "' does not verify with its certificate's key",
          null);
    }
    return null;
  }

  private static boolean verifiesInSoftware(HsmKey key, String algorithm, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(algorithm, key.type().softwareProvider());
      verifier.initVerify(key.publicKey());
      verifier.update(INPUT);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private String tokenName() {
    return "token '" + token.settings().tokenLabel() + "'";
  }

  /** Stops the worker thread; a hung PKCS#11 call keeps its (daemon) thread. */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
