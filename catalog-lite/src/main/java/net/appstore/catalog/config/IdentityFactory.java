package net.appstore.catalog.config;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.MalformedURLException;
import java.net.URI;
import javax.net.ssl.SSLContext;
import net.appstore.catalog.core.AccessTokenVerifier;

/**
 * The OpenID Connect identity provider: which issuer and audience tokens must name, where its JWKS
 * is, and how keys are cached: for {@code cacheFor} normally, and up to {@code outageTolerance}
 * longer while the provider is unreachable (so an IdP outage does not log anybody out, F26). A
 * token with an unknown key triggers a refresh at most once per {@code refreshRateLimit}.
 */
public class IdentityFactory {

  @NotEmpty private String issuer = "https://localhost:18743";
  @NotEmpty private String jwksUrl = "https://localhost:18743/.well-known/jwks.json";
  @NotEmpty private String audience = "catalog";
  @NotNull private Duration cacheFor = Duration.minutes(5);
  @NotNull private Duration refreshTimeout = Duration.seconds(2);
  @NotNull private Duration outageTolerance = Duration.hours(1);
  @NotNull private Duration refreshRateLimit = Duration.seconds(10);
  @NotNull private Duration connectTimeout = Duration.seconds(1);
  @NotNull private Duration readTimeout = Duration.seconds(2);
  @NotNull private Duration retryAfter = Duration.seconds(10);

  public AccessTokenVerifier build(SSLContext tls) {
    DefaultResourceRetriever retriever =
        new DefaultResourceRetriever(
            (int) connectTimeout.toMilliseconds(),
            (int) readTimeout.toMilliseconds(),
            256 * 1024,
            true,
            tls.getSocketFactory());
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(URI.create(jwksUrl).toURL(), retriever)
              .cache(cacheFor.toMilliseconds(), refreshTimeout.toMilliseconds())
              .rateLimited(refreshRateLimit.toMilliseconds())
              .outageTolerant(outageTolerance.toMilliseconds())
              .retrying(true)
              .refreshAheadCache(false)
              .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("identity.jwksUrl is not a URL: " + jwksUrl, e);
    }
    return new AccessTokenVerifier(keys, issuer, audience, retryAfter.toJavaDuration());
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String getJwksUrl() {
    return jwksUrl;
  }

  public void setJwksUrl(String jwksUrl) {
    this.jwksUrl = jwksUrl;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  public Duration getCacheFor() {
    return cacheFor;
  }

  public void setCacheFor(Duration cacheFor) {
    this.cacheFor = cacheFor;
  }

  public Duration getRefreshTimeout() {
    return refreshTimeout;
  }

  public void setRefreshTimeout(Duration refreshTimeout) {
    this.refreshTimeout = refreshTimeout;
  }

  public Duration getOutageTolerance() {
    return outageTolerance;
  }

  public void setOutageTolerance(Duration outageTolerance) {
    this.outageTolerance = outageTolerance;
  }

  public Duration getRefreshRateLimit() {
    return refreshRateLimit;
  }

  public void setRefreshRateLimit(Duration refreshRateLimit) {
    this.refreshRateLimit = refreshRateLimit;
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

  public Duration getRetryAfter() {
    return retryAfter;
  }

  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }
}
