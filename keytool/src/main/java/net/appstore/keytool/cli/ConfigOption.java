package net.appstore.keytool.cli;

import java.nio.file.Path;
import java.util.Optional;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.ConfigLoader;
import net.appstore.keytool.config.KeytoolConfig;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command. */
public final class ConfigOption {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (Java properties; default: $KEYTOOL_CONFIG, else built-in defaults)."
              + " The environment (PRIMARY_JDBC_URL, PGUSER, PGPASSWORD, PKCS11_LIBRARY,"
              + " HSM_TOKEN_LABEL) wins over it.")
  Path file;

  KeytoolConfig load(KeytoolContext context) throws KeytoolException {
    return ConfigLoader.load(Optional.ofNullable(file), context.environment());
  }
}
