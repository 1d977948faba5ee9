package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import net.appstore.hsm.HsmSettings;
import net.appstore.keytool.config.ConfigLoader;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.lifecycle.LifecyclePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path directory;

  @Test
  void load_nothingConfigured_usesDocumentedDefaults() throws Exception {
    KeytoolConfig config = ConfigLoader.load(Optional.empty(), Map.of());

    assertThat(config.jdbcUrl()).isEmpty();
    assertThat(config.tokenLabel()).isEmpty();
    assertThat(config.pkcs11Library()).isEqualTo(HsmSettings.SOFTHSM2_LIBRARY);
    assertThat(config.policy()).isEqualTo(LifecyclePolicy.DEFAULTS);
    assertThat(config.keyValidity()).isEqualTo(Duration.ofDays(395));
  }

  @Test
  void load_fileAndEnvironment_environmentWinsForConnections() throws Exception {
    Path file = directory.resolve("keytool.properties");
    Files.writeString(
        file,
        "db.url=jdbc:postgresql://file/db\nhsm.token-label=from-file\n"
            + "keys.key-cache-age=PT2H\nkeys.receipt-lifetime=P30D\n");

    KeytoolConfig config =
        ConfigLoader.load(
            Optional.of(file), Map.of("PRIMARY_JDBC_URL", "jdbc:postgresql://env/db"));

    assertThat(config.jdbcUrl()).contains("jdbc:postgresql://env/db");
    assertThat(config.tokenLabel()).contains("from-file");
    assertThat(config.policy().keyCacheAge()).isEqualTo(Duration.ofHours(2));
    assertThat(config.policy().receiptLifetime()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void load_fileNamedByEnvironment_isRead() throws Exception {
    Path file = directory.resolve("k.properties");
    Files.writeString(file, "keys.validity=P90D\n");

    KeytoolConfig config =
        ConfigLoader.load(Optional.empty(), Map.of("KEYTOOL_CONFIG", file.toString()));

    assertThat(config.keyValidity()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void load_unknownKey_isRefusedNamingIt() throws Exception {
    Path file = directory.resolve("typo.properties");
    Files.writeString(file, "keys.key-cache-ages=PT1H\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
        .isInstanceOfSatisfying(
            KeytoolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("keys.key-cache-ages");
  }

  @Test
  void load_badDuration_isRefusedWithAnExample() throws Exception {
    Path file = directory.resolve("bad.properties");
    Files.writeString(file, "keys.key-cache-age=24h\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
        .hasMessageContaining("PT24H");
  }

  @Test
  void load_missingFile_isAUsageError() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(directory.resolve("absent")), Map.of()))
        .hasMessageContaining("does not exist");
  }
}
