package net.appstore.signer.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.appstore.hsm.HsmCanary;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmKeyType;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;
import net.appstore.hsm.HsmUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's login to the HSM token, opened once at start. SunPKCS11 never recovers a token
 * that went away in the same process, so there is no reconnect here: when the HSM is back, the
 * process is restarted (see {@link HsmMonitor}). If the token cannot be opened at start, the
 * connection exists without a token and every use fails as unavailable; a refused PIN is never
 * retried (a real HSM locks the PIN after a few attempts).
 *
 * <p>Thread-safe.
 */
public final class HsmConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HsmConnection.class);

  private final HsmSettings settings;
  private final HsmToken token;
  private final HsmKeyException loginRefused;
  private final HsmCanary canary;
  private final Duration timeout;
  private final ExecutorService listing;
  private Future<?> listingRunning;

  private HsmConnection(
      HsmSettings settings, HsmToken token, HsmKeyException loginRefused, Duration timeout) {
    this.settings = settings;
    this.token = token;
    this.loginRefused = loginRefused;
    this.timeout = timeout;
    this.canary = token == null ? null : new HsmCanary(token, timeout);
    this.listing =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "hsm-listing");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Logs in; failures are reported to {@code availability} rather than thrown, so the service
   * starts, answers 503 and recovers like after any other HSM outage.
   *
   * @param pin cleared before this returns
   */
  public static HsmConnection open(
      HsmSettings settings, char[] pin, Duration canaryTimeout, HsmAvailability availability) {
    Objects.requireNonNull(settings, "settings");
    try {
      return new HsmConnection(settings, HsmToken.open(settings, pin), null, canaryTimeout);
    } catch (HsmKeyException e) {
      LOG.error("HSM refused the login at start; not retrying: {}", e.getMessage());
      availability.markKeyFailure("login refused: " + e.reason());
      return new HsmConnection(settings, null, e, canaryTimeout);
    } catch (HsmException e) {
      LOG.error("HSM unavailable at start: {}", e.getMessage());
      availability.markUnavailable("could not open the token at start: " + e.getMessage());
      return new HsmConnection(settings, null, null, canaryTimeout);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  public HsmSettings settings() {
    return settings;
  }

  /** The logged-in token, or empty if opening it failed at start. */
  public Optional<HsmToken> token() {
    return Optional.ofNullable(token);
  }

  /**
   * The key with this label, which must be of {@code type}.
   *
   * @throws HsmUnavailableException also when the token could not be opened at start
   */
  public HsmKey key(String label, HsmKeyType type) throws HsmException {
    return requireToken().key(label, type);
  }

  /**
   * Proves the HSM usable: a time-bounded canary (fresh lookup, sign in the HSM, verify in
   * software) for each label; with no label, a time-bounded listing of the token's keys.
   *
   * @throws HsmException as {@link HsmCanary#check}
   */
  public void check(List<String> labels) throws HsmException {
    requireToken();
    if (labels.isEmpty()) {
      listKeys();
      return;
    }
    for (String label : labels) {
      canary.check(label);
    }
  }

  private synchronized void listKeys() throws HsmException {
    if (listingRunning != null && !listingRunning.isDone()) {
      throw new HsmUnavailableException("a previous listing of the token still hangs", null);
    }
    Future<?> call =
        listing.submit(
            () -> {
              token.labels();
              return null;
            });
    listingRunning = call;
    try {
      call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new HsmUnavailableException("listing the token took longer than " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HsmUnavailableException("interrupted while listing the token", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HsmException hsm) {
        throw hsm;
      }
      throw new HsmUnavailableException("listing the token failed", e.getCause());
    }
  }

  /**
   * @throws HsmKeyException if the login was refused at start (permanent: no restart helps)
   * @throws HsmUnavailableException if the token could not be opened at start
   */
  private HsmToken requireToken() throws HsmException {
    if (loginRefused != null) {
      throw new HsmKeyException(
          loginRefused.reason(),
          "the login to token '" + settings.tokenLabel() + "' was refused at start",
          null);
    }
    if (token == null) {
      throw new HsmUnavailableException(
          "token '"
              + settings.tokenLabel()
              + "' was not opened at start; the process restarts once it is back",
          null);
    }
    return token;
  }

  @Override
  public void close() {
    listing.shutdownNow();
    if (canary != null) {
      canary.close();
    }
  }
}
