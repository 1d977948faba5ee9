package net.appstore.signer.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.appstore.signer.SignerConfiguration;
import net.appstore.signer.db.SignerMigrations;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code db-migrate CONFIG}: applies the key registry, issuance log and signer migrations to the
 * configured database. Migrations never run when the service starts.
 */
public final class DbMigrateCommand extends ConfiguredCommand<SignerConfiguration> {

  public DbMigrateCommand() {
    super("db-migrate", "Apply the key registry, issuance log and signer schema migrations");
  }

  @Override
  protected void run(
      Bootstrap<SignerConfiguration> bootstrap,
      Namespace namespace,
      SignerConfiguration configuration)
      throws Exception {
    ManagedDataSource dataSource =
        configuration.getDatabase().build(new MetricRegistry(), "db-migrate");
    try {
      int applied = SignerMigrations.migrate(dataSource);
      System.out.println("db-migrate: " + applied + " migration(s) applied");
    } finally {
      dataSource.stop();
    }
  }
}
