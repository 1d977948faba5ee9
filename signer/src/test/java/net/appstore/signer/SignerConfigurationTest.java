package net.appstore.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.util.HashMap;
import java.util.Map;
import net.appstore.receipt.ReceiptType;
import org.junit.jupiter.api.Test;

/** The real {@code config/signer.yml}, read the way the service reads it. */
class SignerConfigurationTest {

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PRIMARY_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    env.put("PGUSER", "signer");
    env.put("PGPASSWORD", "0755");
    env.put("TLS_KEYSTORE", "/etc/signer/server.p12");
    env.put("TLS_KEYSTORE_PASSWORD", "012");
    env.put("TRUSTSTORE", "/etc/signer/ca.p12");
    env.put("TRUSTSTORE_PASSWORD", "changeit");
    env.put("PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so");
    env.put("HSM_TOKEN_LABEL", "receipts");
    env.put("HSM_PIN", "01234567");
    return env;
  }

  private static SignerConfiguration read(Map<String, String> env) throws Exception {
    return new YamlConfigurationFactory<>(
            SignerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), SignerApplication.substitutor(env)),
            "config/signer.yml");
  }

  @Test
  void signerYml_allDigitPinWithLeadingZero_reachesTheHsmUnchanged() throws Exception {
    SignerConfiguration config = read(environment());

    assertThat(config.getHsm().pin()).containsExactly("01234567".toCharArray());
    assertThat(config.getDatabase().getPassword()).isEqualTo("0755");
  }

  @Test
  void signerYml_defaults_storeCallerSignsPurchaseReceiptsOnlyAndCatalogBlocklistsOnly()
      throws Exception {
    SignerConfiguration config = read(environment());

    assertThat(config.getCallers().get("store-caller").getReceiptTypes())
        .containsExactly(ReceiptType.PURCHASE.claimValue());
    assertThat(config.getCallers().get("store-caller").isBlocklists()).isFalse();
    assertThat(config.getCallers().get("catalog").getReceiptTypes()).isEmpty();
    assertThat(config.getCallers().get("catalog").isBlocklists()).isTrue();
    assertThat(config.getHsm()).hasToString(config.getHsm().toString().replace("01234567", ""));
  }

  @Test
  void signerYml_pinNotSet_refusesToStart() {
    Map<String, String> env = environment();
    env.remove("HSM_PIN");

    assertThatThrownBy(() -> read(env)).hasMessageContaining("HSM_PIN");
  }
}
