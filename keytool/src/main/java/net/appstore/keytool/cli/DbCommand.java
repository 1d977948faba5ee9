package net.appstore.keytool.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code keytool db}: the registry's schema. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = "The key registry's database schema.",
    subcommands = DbMigrateCommand.class)
final class DbCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: migrate");
  }
}
