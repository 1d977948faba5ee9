package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Limits for blocklist signing. */
public class BlocklistsFactory {

  /**
   * Request bodies above this are refused (413) before they are parsed. A signed blocklist is
   * bounded anyway by the JOSE policy's token size (16 KiB), which leaves about 11 KiB of JSON.
   */
  @Min(256)
  @Max(1048576)
  @JsonProperty
  private int maxBodyBytes = 16384;

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }
}
