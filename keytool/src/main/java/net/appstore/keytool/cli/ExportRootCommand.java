package net.appstore.keytool.cli;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keytool export-root}: the root certificate verifiers pin. */
@Command(
    name = "export-root",
    mixinStandardHelpOptions = true,
    description =
        "Writes the root certificate (PEM) that every verifier pins: a published key is trusted"
            + " only if its x5c chains to it.")
final class ExportRootCommand extends KeytoolCommand {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the PEM; - for standard output.")
  String out;

  ExportRootCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    Registry registry = Registry.connect(config);
    RegisteredKey root =
        registry.read(
            (handle, dao) ->
                dao.findActive(KeyPurpose.ROOT)
                    .orElseThrow(
                        () ->
                            KeytoolException.refused(
                                "no root in the registry: run 'keytool init' first")));
    X509Certificate certificate = PublishedKeys.certificates(root).get(0);
    String pem = Pem.certificate(certificate);
    String fingerprint = Pem.sha256Fingerprint(certificate);
    if ("-".equals(out)) {
      out().print(pem);
      out().flush();
      err().printf("keytool: root %s, SHA-256 fingerprint %s%n", root.kid(), fingerprint);
    } else {
      Pem.writeAtomically(Path.of(out), pem);
      out().printf("wrote root %s to %s (SHA-256 fingerprint %s)%n", root.kid(), out, fingerprint);
    }
    return ok();
  }
}
