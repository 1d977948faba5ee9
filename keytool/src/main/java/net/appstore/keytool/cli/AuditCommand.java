package net.appstore.keytool.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code keytool audit}: checks of the issuance log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Checks of the hash-chained issuance log.",
    subcommands = AuditVerifyCommand.class)
final class AuditCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: verify");
  }
}
