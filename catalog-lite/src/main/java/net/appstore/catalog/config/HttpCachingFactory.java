package net.appstore.catalog.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import net.appstore.catalog.resources.HttpCaching;

/**
 * {@code Cache-Control} lifetimes for shared caches (CDN, reverse proxy) in front of the service
 * (F1). {@code staleIfError} lets such a cache keep answering while this service is down.
 */
public class HttpCachingFactory {

  @NotNull private Duration pageMaxAge = Duration.seconds(60);
  @NotNull private Duration staleWhileRevalidate = Duration.seconds(60);
  @NotNull private Duration staleIfError = Duration.days(1);
  @NotNull private Duration partialMaxAge = Duration.seconds(10);
  @NotNull private Duration updateMaxAge = Duration.minutes(10);
  @NotNull private Duration degradedUpdateMaxAge = Duration.seconds(60);
  @NotNull private Duration blocklistMaxAge = Duration.minutes(5);

  public HttpCaching build() {
    return new HttpCaching(
        pageMaxAge.toJavaDuration(),
        staleWhileRevalidate.toJavaDuration(),
        staleIfError.toJavaDuration(),
        partialMaxAge.toJavaDuration(),
        updateMaxAge.toJavaDuration(),
        degradedUpdateMaxAge.toJavaDuration(),
        blocklistMaxAge.toJavaDuration());
  }

  public Duration getPageMaxAge() {
    return pageMaxAge;
  }

  public void setPageMaxAge(Duration pageMaxAge) {
    this.pageMaxAge = pageMaxAge;
  }

  public Duration getStaleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  public void setStaleWhileRevalidate(Duration staleWhileRevalidate) {
    this.staleWhileRevalidate = staleWhileRevalidate;
  }

  public Duration getStaleIfError() {
    return staleIfError;
  }

  public void setStaleIfError(Duration staleIfError) {
    this.staleIfError = staleIfError;
  }

  public Duration getPartialMaxAge() {
    return partialMaxAge;
  }

  public void setPartialMaxAge(Duration partialMaxAge) {
    this.partialMaxAge = partialMaxAge;
  }

  public Duration getUpdateMaxAge() {
    return updateMaxAge;
  }

  public void setUpdateMaxAge(Duration updateMaxAge) {
    this.updateMaxAge = updateMaxAge;
  }

  public Duration getDegradedUpdateMaxAge() {
    return degradedUpdateMaxAge;
  }

  public void setDegradedUpdateMaxAge(Duration degradedUpdateMaxAge) {
    this.degradedUpdateMaxAge = degradedUpdateMaxAge;
  }

  public Duration getBlocklistMaxAge() {
    return blocklistMaxAge;
  }

  public void setBlocklistMaxAge(Duration blocklistMaxAge) {
    this.blocklistMaxAge = blocklistMaxAge;
  }
}
