package net.appstore.signer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import net.appstore.signer.core.IssuerProfile;

/** The URLs written into the receipts of one issuer (store). */
public class IssuerFactory {

  /** Where apps verify receipts ({@code verify} claim). */
  @NotEmpty @JsonProperty private String verifyUrl;

  /** Where apps get a fresh receipt after this one expired ({@code reissue} claim). */
  @NotEmpty @JsonProperty private String reissueUrl;

  /** A page about the purchase ({@code detail} claim); {@code {jti}} is replaced by the jti. */
  @NotEmpty @JsonProperty private String detailUrl;

  public IssuerProfile build(String issuer) {
    return new IssuerProfile(issuer, URI.create(verifyUrl), URI.create(reissueUrl), detailUrl);
  }
}
