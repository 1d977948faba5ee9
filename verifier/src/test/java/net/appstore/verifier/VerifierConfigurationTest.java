package net.appstore.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.time.Duration;
import java.util.Map;
import net.appstore.receipt.ReceiptType;
import net.appstore.service.accesslog.JsonAccessLogFactory;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.junit.jupiter.api.Test;

/** {@code config/verifier.yml} as shipped: substituted, parsed and validated. */
class VerifierConfigurationTest {

  private static final Map<String, String> STACK_ENVIRONMENT =
      Map.of(
          "JWKS_URL", "https://localhost:18443/.well-known/jwks.json",
          "ROOT_CERT", "/stack/keys/root.pem",
          "REPLICA_JDBC_URL", "jdbc:postgresql://127.0.0.1:15433/postgres",
          "PRIMARY_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/postgres",
          "TLS_KEYSTORE", "/stack/tls/server.p12",
          "TLS_KEYSTORE_PASSWORD", "secret");

  private static VerifierConfiguration load(Map<String, String> environment) throws Exception {
    YamlConfigurationFactory<VerifierConfiguration> factory =
        new YamlConfigurationFactory<>(
            VerifierConfiguration.class,
            Validators.newValidator(),
            Jackson.newObjectMapper(),
            "dw");
    StringSubstitutor substitutor =
        new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(environment));
    substitutor.setEnableUndefinedVariableException(false);
    return factory.build(
        new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
        "config/verifier.yml");
  }

  @Test
  void load_shippedConfigWithTheStackEnvironment_validWithSafeDefaults() throws Exception {
    VerifierConfiguration config = load(STACK_ENVIRONMENT);
    assertThat(config.getReceipts().settings().allowedTypes()).doesNotContain(ReceiptType.TEST);
    assertThat(config.getReceipts().settings().allowedIssuers())
        .containsExactly("https://localhost:18643");
    assertThat(config.getKeys().policy().maxStale()).isEqualTo(Duration.ofHours(6));
    assertThat(config.getPurchases().policy().resultCacheFor())
        .isLessThanOrEqualTo(config.getPurchases().getRefundWindow().toJavaDuration());
    assertThat(config.getReplicaDatabase().getUrl()).endsWith(":15433/postgres");
    assertThat(((DefaultServerFactory) config.getServerFactory()).getRequestLogFactory())
        .isInstanceOfSatisfying(
            JsonAccessLogFactory.class,
            log -> assertThat(log.getResponseHeaders()).containsExactly("X-Request-Id"));
  }

  @Test
  void load_testReceiptsAllowedByTheEnvironment_accepted() throws Exception {
    var environment = new java.util.HashMap<>(STACK_ENVIRONMENT);
    environment.put("ALLOW_TEST_RECEIPTS", "true");
    assertThat(load(environment).getReceipts().settings().allowedTypes())
        .contains(ReceiptType.TEST);
  }

  @Test
  void validate_resultCacheLongerThanTheRefundWindow_refused() throws Exception {
    var environment = new java.util.HashMap<>(STACK_ENVIRONMENT);
    System.setProperty("dw.purchases.resultCacheFor", "2m");
    try {
      assertThatThrownBy(() -> load(environment))
          .isInstanceOf(ConfigurationValidationException.class)
          .hasMessageContaining("refundWindow");
    } finally {
      System.clearProperty("dw.purchases.resultCacheFor");
    }
  }
}
