package net.appstore.keytool.cli;

import net.appstore.keys.audit.ChainReport;
import net.appstore.keys.audit.ChainVerifier;
import net.appstore.keytool.ExitCode;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.Registry;
import picocli.CommandLine.Command;

/** {@code keytool audit verify}: walks the issuance hash chain. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Walks the issuance log in order and recomputes every hash: reports the first missing,"
          + " reordered or altered entry, or entries removed from the end.",
      "Exit code 6 when the chain is broken."
    })
final class AuditVerifyCommand extends KeytoolCommand {

  AuditVerifyCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    Registry registry = Registry.connect(config);
    ChainReport report = registry.read((handle, dao) -> ChainVerifier.verify(handle));
    if (report.isIntact()) {
      out().printf("issuance chain intact: %d entries%n", report.entries());
      return ok();
    }
    err()
        .printf(
            "keytool: issuance chain broken at seq %d: %s (%d entries checked)%n",
            report.firstBadSeq().orElseThrow(), report.problem().orElse(""), report.entries());
    return ExitCode.INTEGRITY;
  }
}
