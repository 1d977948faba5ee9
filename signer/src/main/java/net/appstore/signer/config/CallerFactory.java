package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * What one caller (a client certificate's subject CN) may have signed: for which issuers, which
 * receipt typs, and whether blocklists. The first issuer is used when a request names none.
 */
public class CallerFactory {

  @NotNull @JsonProperty private List<String> issuers = new ArrayList<>();

  @NotNull @JsonProperty private List<String> receiptTypes = new ArrayList<>();

  @JsonProperty private boolean blocklists;

  public List<String> getIssuers() {
    return issuers;
  }

  public List<String> getReceiptTypes() {
    return receiptTypes;
  }

  public boolean isBlocklists() {
    return blocklists;
  }
}
