package net.appstore.keytool;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.appstore.keytool.cli.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * keytool, the operators' CLI for the receipt signing keys: root CA, signing keys in the HSM, their
 * lifecycle and rotation, the public key set, and the issuance log check. One command class per
 * verb in {@code net.appstore.keytool.cli}; the rules in {@code net.appstore.keytool.lifecycle}.
 *
 * <p>Run: {@code java --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED
 * -jar keytool-all.jar ...} (the -all jar's manifest carries the export), or {@code ./ops/keytool}
 * against the local stack. Exit codes: {@link ExitCode}.
 */
@Command(
    name = "keytool",
    mixinStandardHelpOptions = true,
    version = "keytool 0.1.0",
    description = {
      "Manages the receipt signing keys: the root CA and signing keys in the HSM, their lifecycle"
          + " (GENERATED > PUBLISHED > ACTIVE > RETIRING > RETIRED > DESTROYED) and rotation, the"
          + " public key set, and the issuance log.",
      "Configuration: --config FILE or $KEYTOOL_CONFIG; PRIMARY_JDBC_URL, PGUSER, PGPASSWORD,"
          + " PKCS11_LIBRARY, HSM_TOKEN_LABEL and SOFTHSM2_CONF from the environment; the HSM PIN"
          + " from HSM_PIN or a prompt, never an argument."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (also: a rotation waiting for its lead time)",
      "1:refused by a safety rule, the key's state, or an unknown kid; nothing changed",
      "2:usage or configuration error",
      "3:HSM unavailable; nothing changed, retry later",
      "4:registry database unavailable or busy; nothing changed, retry later",
      "5:wrong or locked HSM PIN",
      "6:integrity: registry and HSM disagree, certification failed, or the issuance chain is"
          + " broken",
      "7:check-expiry: a purpose has no ACTIVE key or it expires soon",
      "70:internal error (a bug; the stack trace follows)"
    })
public final class Keytool implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    // hsm-config logs logins and generations at INFO through System.Logger; on a terminal that is
    // noise between keytool's own lines. Warnings still show; Flyway's (e.g. "schema exists,
    // skipping" on every migrate) do not.
    Logger.getLogger("").setLevel(Level.WARNING);
    Logger.getLogger("org.flywaydb").setLevel(Level.SEVERE);
    // JDBI logs through SLF4J; without a provider SLF4J would warn on every run.
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    System.exit(commandLine(KeytoolContext.system()).execute(args));
  }

  /** The command line with every verb, for {@code main} and for tests that run it in-process. */
  public static CommandLine commandLine(KeytoolContext context) {
    CommandLine commandLine = new CommandLine(new Keytool(), Commands.factory(context));
    for (Class<?> verb : Commands.verbs()) {
      commandLine.addSubcommand(verb);
    }
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> {
          Failures.Failure failure = Failures.classify(exception);
          PrintWriter err = failed.getErr();
          err.println("keytool: " + failure.message());
          if (failure.isBug()) {
            exception.printStackTrace(err);
          }
          err.flush();
          return failure.exitCode();
        });
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine failed = exception.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println(
              "keytool: "
                  + Failures.oneLine(exception.getMessage())
                  + " (see: "
                  + failed.getCommandSpec().qualifiedName()
                  + " --help)");
          err.flush();
          return ExitCode.USAGE;
        });
    return commandLine;
  }
}
