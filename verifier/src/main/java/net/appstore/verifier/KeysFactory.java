package net.appstore.verifier;

import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import net.appstore.receipt.keys.CertificateChainValidator;
import net.appstore.verifier.core.CachedKeySource;
import net.appstore.verifier.core.HttpsKeySetFetcher;
import net.appstore.verifier.core.KeyCachePolicy;

/**
 * Where the signing keys come from and how they are trusted and cached ({@code keys:} in the YAML):
 * the JWKS URL (HTTPS, server trusted through {@code trustStorePath}), the pinned root certificate
 * every key must chain to, and the cache durations of {@link KeyCachePolicy}.
 */
public class KeysFactory {

  @NotEmpty private String jwksUrl = "";

  /** The pinned root: a PEM file's path, or the PEM text itself. */
  @NotEmpty private String pinnedRoot = "";

  /** PKCS#12 trust store for the JWKS server's certificate; empty: the JDK's trust anchors. */
  private String trustStorePath = "";

  private String trustStorePassword = "";

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  private Duration refreshEvery = Duration.minutes(5);

  @NotNull private Duration maxStale = Duration.hours(6);
  @NotNull private Duration minRefreshInterval = Duration.seconds(30);
  @NotNull private Duration negativeCacheFor = Duration.minutes(5);
  @NotNull private Duration refreshWait = Duration.seconds(2);
  @NotNull private Duration connectTimeout = Duration.seconds(1);
  @NotNull private Duration readTimeout = Duration.seconds(2);
  @NotNull private DataSize maxJwksSize = DataSize.kibibytes(256);

  /** What a 503 tells clients when keys cannot be checked. */
  @NotNull private Duration retryAfter = Duration.seconds(10);

  public KeyCachePolicy policy() {
    return new KeyCachePolicy(
        refreshEvery.toJavaDuration(),
        maxStale.toJavaDuration(),
        minRefreshInterval.toJavaDuration(),
        negativeCacheFor.toJavaDuration(),
        refreshWait.toJavaDuration());
  }

  public CachedKeySource buildKeySource(Executor executor, MetricRegistry metrics) {
    HttpsKeySetFetcher fetcher =
        new HttpsKeySetFetcher(
            URI.create(jwksUrl),
            tls(),
            connectTimeout.toJavaDuration(),
            readTimeout.toJavaDuration(),
            Math.toIntExact(maxJwksSize.toBytes()));
    return new CachedKeySource(fetcher, policy(), Ticker.systemTicker(), executor, metrics);
  }

  /**
   * Remembers the last key that passed: nearly every receipt names the one active key, whose chain
   * need not be walked again while the receipt's {@code iat} lies inside the validity of every
   * certificate involved (the result cannot differ there). Any other key, any other date, and a
   * refreshed key set (new key objects) get the full PKIX validation.
   */
  public CertificateChainValidator chainValidator() {
    return CertificateChainValidator.remembering(pinnedRootCertificate());
  }

  X509Certificate pinnedRootCertificate() {
    String pem = pinnedRoot.strip();
    if (!pem.startsWith("-----BEGIN")) {
      try {
        pem = Files.readString(Path.of(pem), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException("keys.pinnedRoot: cannot read " + pinnedRoot, e);
      }
    }
    return CertificateChainValidator.readPemCertificate(pem);
  }

  private SSLSocketFactory tls() {
    if (trustStorePath == null || trustStorePath.isBlank()) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    try (InputStream in = Files.newInputStream(Path.of(trustStorePath))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, trustStorePassword == null ? new char[0] : trustStorePassword.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("keys.trustStorePath: cannot load " + trustStorePath, e);
    }
  }

  public Duration getRetryAfter() {
    return retryAfter;
  }

  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  public String getJwksUrl() {
    return jwksUrl;
  }

  public void setJwksUrl(String jwksUrl) {
    this.jwksUrl = jwksUrl;
  }

  public String getPinnedRoot() {
    return pinnedRoot;
  }

  public void setPinnedRoot(String pinnedRoot) {
    this.pinnedRoot = pinnedRoot;
  }

  public String getTrustStorePath() {
    return trustStorePath;
  }

  public void setTrustStorePath(String trustStorePath) {
    this.trustStorePath = trustStorePath;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }

  public Duration getRefreshEvery() {
    return refreshEvery;
  }

  public void setRefreshEvery(Duration refreshEvery) {
    this.refreshEvery = refreshEvery;
  }

  public Duration getMaxStale() {
    return maxStale;
  }

  public void setMaxStale(Duration maxStale) {
    this.maxStale = maxStale;
  }

  public Duration getMinRefreshInterval() {
    return minRefreshInterval;
  }

  public void setMinRefreshInterval(Duration minRefreshInterval) {
    this.minRefreshInterval = minRefreshInterval;
  }

  public Duration getNegativeCacheFor() {
    return negativeCacheFor;
  }

  public void setNegativeCacheFor(Duration negativeCacheFor) {
    this.negativeCacheFor = negativeCacheFor;
  }

  public Duration getRefreshWait() {
    return refreshWait;
  }

  public void setRefreshWait(Duration refreshWait) {
    this.refreshWait = refreshWait;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getReadTimeout() {
    return readTimeout;
  }

  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  public DataSize getMaxJwksSize() {
    return maxJwksSize;
  }

  public void setMaxJwksSize(DataSize maxJwksSize) {
    this.maxJwksSize = maxJwksSize;
  }
}
