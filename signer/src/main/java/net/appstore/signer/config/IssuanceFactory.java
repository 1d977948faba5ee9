package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The group commit of signed documents and their issuance-log entries. */
public class IssuanceFactory {

  /** Most documents committed in one transaction. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int maxBatch = 64;

  /** Signed documents waiting for the writer; beyond this, requests are answered 503. */
  @Min(1)
  @Max(100000)
  @JsonProperty
  private int queueCapacity = 1024;

  /** How long a request waits for its commit before it is answered 503 (retry is idempotent). */
  @NotNull @JsonProperty private Duration writeTimeout = Duration.seconds(5);

  /** The Retry-After given with 503 answers caused by the database. */
  @NotNull @JsonProperty private Duration retryAfter = Duration.seconds(2);

  public int getMaxBatch() {
    return maxBatch;
  }

  public int getQueueCapacity() {
    return queueCapacity;
  }

  public java.time.Duration getWriteTimeout() {
    return writeTimeout.toJavaDuration();
  }

  public java.time.Duration getRetryAfter() {
    return retryAfter.toJavaDuration();
  }
}
