package net.appstore.keytool.cli;

import net.appstore.keys.RegistryMigrations;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.Registry;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;

/** {@code keytool db migrate}: applies the registry's migrations. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Creates or upgrades the key registry and issuance log schemas (plain SQL, Flyway). Safe"
            + " to run again; services never migrate on their own.")
final class DbMigrateCommand extends KeytoolCommand {

  DbMigrateCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    Registry registry = Registry.connect(config);
    MigrateResult result = RegistryMigrations.migrate(registry.dataSource());
    String version =
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion;
    out()
        .printf(
            "registry schema at version %s (%d migration(s) applied)%n",
            version, result.migrationsExecuted);
    return ok();
  }
}
