package net.appstore.signer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;
import net.appstore.signer.config.BlocklistsFactory;
import net.appstore.signer.config.CallerFactory;
import net.appstore.signer.config.HsmFactory;
import net.appstore.signer.config.IssuanceFactory;
import net.appstore.signer.config.IssuerFactory;
import net.appstore.signer.config.JwksFactory;
import net.appstore.signer.config.KeysFactory;
import net.appstore.signer.config.ReceiptsFactory;

/** The signer's configuration ({@code config/signer.yml}); secrets come from the environment. */
public class SignerConfiguration extends Configuration {

  /** The primary: key registry (read), issuance log and receipts (append). */
  @Valid @NotNull @JsonProperty private DataSourceFactory database = new DataSourceFactory();

  @Valid @NotNull @JsonProperty private HsmFactory hsm;

  @Valid @NotNull @JsonProperty private KeysFactory keys = new KeysFactory();

  @Valid @NotNull @JsonProperty private ReceiptsFactory receipts = new ReceiptsFactory();

  @Valid @NotNull @JsonProperty private BlocklistsFactory blocklists = new BlocklistsFactory();

  @Valid @NotNull @JsonProperty private JwksFactory jwks = new JwksFactory();

  @Valid @NotNull @JsonProperty private IssuanceFactory issuance = new IssuanceFactory();

  /** Issuer ({@code iss} value) to the URLs its receipts carry. */
  @Valid @NotEmpty @JsonProperty private Map<String, IssuerFactory> issuers = new LinkedHashMap<>();

  /** Client certificate subject CN to what that caller may have signed. */
  @Valid @NotEmpty @JsonProperty private Map<String, CallerFactory> callers = new LinkedHashMap<>();

  public DataSourceFactory getDatabase() {
    return database;
  }

  public HsmFactory getHsm() {
    return hsm;
  }

  public KeysFactory getKeys() {
    return keys;
  }

  public ReceiptsFactory getReceipts() {
    return receipts;
  }

  public BlocklistsFactory getBlocklists() {
    return blocklists;
  }

  public JwksFactory getJwks() {
    return jwks;
  }

  public IssuanceFactory getIssuance() {
    return issuance;
  }

  public Map<String, IssuerFactory> getIssuers() {
    return issuers;
  }

  public Map<String, CallerFactory> getCallers() {
    return callers;
  }
}
