package net.appstore.keytool.cli;

import java.nio.file.Path;
import net.appstore.keys.PublishedKeys;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.Registry;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.keys.PublishedKeySet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keytool export-jwks}: the public key set, byte for byte as the signer serves it. */
@Command(
    name = "export-jwks",
    mixinStandardHelpOptions = true,
    description =
        "Writes the public key set (PUBLISHED, ACTIVE and RETIRING keys with their x5c chains)"
            + " exactly as the signer serves it at /.well-known/jwks.json, for a static or CDN"
            + " copy. Written atomically.")
final class ExportJwksCommand extends KeytoolCommand {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the JWKS; - for standard output.")
  String out;

  ExportJwksCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    Registry registry = Registry.connect(config);
    PublishedKeySet keys = registry.read((handle, dao) -> PublishedKeys.of(dao.listPublished()));
    String json = keys.toJson() + "\n";
    String kids = String.join(", ", keys.keys().stream().map(PublishedKey::kid).toList());
    if ("-".equals(out)) {
      out().print(json);
      out().flush();
      err().printf("keytool: %d key(s): %s%n", keys.keys().size(), kids);
    } else {
      Pem.writeAtomically(Path.of(out), json);
      out().printf("wrote %d key(s) to %s: %s%n", keys.keys().size(), out, kids);
    }
    return ok();
  }
}
