package net.appstore.catalog.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import net.appstore.catalog.core.CacheSettings;

/** The object caches; see {@link CacheSettings} for the exact meaning of each value. */
public class CacheFactory {

  @Min(1)
  private long maximumSize = 20_000;

  @NotNull private Duration freshFor = Duration.seconds(60);
  @NotNull private Duration staleFor = Duration.minutes(30);
  @NotNull private Duration partialRetryAfter = Duration.seconds(5);

  @Min(1)
  private int refreshThreads = 4;

  public CacheSettings settings() {
    return new CacheSettings(
        maximumSize,
        freshFor.toJavaDuration(),
        staleFor.toJavaDuration(),
        partialRetryAfter.toJavaDuration());
  }

  public long getMaximumSize() {
    return maximumSize;
  }

  public void setMaximumSize(long maximumSize) {
    this.maximumSize = maximumSize;
  }

  public Duration getFreshFor() {
    return freshFor;
  }

  public void setFreshFor(Duration freshFor) {
    this.freshFor = freshFor;
  }

  public Duration getStaleFor() {
    return staleFor;
  }

  public void setStaleFor(Duration staleFor) {
    this.staleFor = staleFor;
  }

  public Duration getPartialRetryAfter() {
    return partialRetryAfter;
  }

  public void setPartialRetryAfter(Duration partialRetryAfter) {
    this.partialRetryAfter = partialRetryAfter;
  }

  public int getRefreshThreads() {
    return refreshThreads;
  }

  public void setRefreshThreads(int refreshThreads) {
    this.refreshThreads = refreshThreads;
  }
}
