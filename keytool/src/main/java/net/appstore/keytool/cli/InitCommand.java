package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.instant;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.KeyState;
import net.appstore.keys.PublishedKeys;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.HsmAccess;
import net.appstore.keytool.keys.KeyGeneration;
import net.appstore.keytool.keys.LockedChange;
import net.appstore.keytool.keys.OrphanSweep;
import net.appstore.keytool.keys.Registry;
import net.appstore.receipt.jose.SigningAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keytool init}: the deployment's root CA, once. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Creates the deployment's root: a key generated inside the HSM and its self-signed CA"
          + " certificate, signed there. Runs once: refused if a root exists.",
      "The root only certifies signing keys. Pin its certificate (keytool export-root) in every"
          + " verifier."
    })
final class InitCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Option(
      names = "--alg",
      defaultValue = "ES256",
      description = "Root key: ES256 (EC P-256, default) or RS256 (RSA-2048).")
  SigningAlgorithm algorithm;

  @Option(
      names = "--validity-days",
      paramLabel = "DAYS",
      description = "Validity of the root certificate (default: root.validity, 3650 days).")
  Integer validityDays;

  @Option(
      names = "--subject",
      paramLabel = "DN",
      description = "Subject of the root certificate (default: root.subject).")
  String subject;

  @Option(
      names = "--discard-unregistered-root",
      description =
          "Delete root keys keytool left on the token but never registered (an interrupted init)."
              + " Without it, init refuses when it finds any.")
  boolean discardUnregisteredRoot;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the root certificate (PEM) to this file.")
  Path out;

  InitCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    if (algorithm == SigningAlgorithm.PS256) {
      throw KeytoolException.usage("--alg: the root is ES256 or RS256");
    }
    Duration validity = Days.validity(validityDays, config.rootValidity(), "--validity-days");
    X500Name name = subjectName(subject == null ? config.rootSubject() : subject);
    String actor = actorOption.actor(context);
    HsmToken hsm = HsmAccess.open(config, context);
    Registry registry = Registry.connect(config);
    RegisteredKey root =
        LockedChange.run(
            registry,
            KeyPurpose.ROOT,
            hsm,
            (dao, created) -> {
              Optional<RegisteredKey> existing =
                  dao.listByPurpose(KeyPurpose.ROOT).stream()
                      .filter(key -> key.state() != KeyState.DESTROYED)
                      .findFirst();
              if (existing.isPresent()) {
                throw KeytoolException.refused(
                    "a root exists: "
                        + existing.get().kid()
                        + " ("
                        + existing.get().state()
                        + ", valid until "
                        + instant(existing.get().notAfter())
                        + "); init runs once per deployment");
              }
              discardUnregisteredRoots(dao, hsm);
              return KeyGeneration.root(
                  dao, created, hsm, context, algorithm, validity, name, actor);
            });
    X509Certificate certificate = PublishedKeys.certificates(root).get(0);
    out()
        .printf(
            "created root %s (%s) in HSM token '%s', valid %s to %s%n",
            root.kid(),
            root.alg(),
            hsm.settings().tokenLabel(),
            instant(root.notBefore()),
            instant(root.notAfter()));
    out().printf("  subject %s%n", certificate.getSubjectX500Principal().getName());
    out().printf("  SHA-256 fingerprint %s%n", Pem.sha256Fingerprint(certificate));
    if (out != null) {
      Pem.writeAtomically(out, Pem.certificate(certificate));
      out().printf("  certificate written to %s: pin it in every verifier%n", out);
    } else {
      out().println("  pin it in every verifier: keytool export-root --out root.pem");
    }
    return ok();
  }

  /**
   * An empty registry and a token holding keytool keys is either an interrupted init (a stray root)
   * or the wrong registry for this token (a production root and signing keys): never guess.
   */
  private void discardUnregisteredRoots(KeyRegistryDao dao, HsmToken hsm) throws Exception {
    List<String> roots = OrphanSweep.unregistered(dao, hsm, KeyPurpose.ROOT);
    List<String> signingKeys = new ArrayList<>();
    for (KeyPurpose purpose : List.of(KeyPurpose.RECEIPT, KeyPurpose.BLOCKLIST)) {
      signingKeys.addAll(OrphanSweep.unregistered(dao, hsm, purpose));
    }
    String token = "HSM token '" + hsm.settings().tokenLabel() + "'";
    if (!signingKeys.isEmpty()) {
      throw KeytoolException.integrity(
          token
              + " holds signing keys this registry does not know "
              + signingKeys
              + ": wrong registry or wrong token? init refuses");
    }
    if (roots.isEmpty()) {
      return;
    }
    if (!discardUnregisteredRoot) {
      throw KeytoolException.integrity(
          token
              + " holds root keys this registry does not know "
              + roots
              + ": wrong registry? If an interrupted init left them, rerun with"
              + " --discard-unregistered-root");
    }
    for (String label : roots) {
      hsm.deleteKey(label);
    }
    reportSwept(roots);
  }

  private static X500Name subjectName(String dn) throws KeytoolException {
    try {
      return new X500Name(dn);
    } catch (IllegalArgumentException e) {
      throw KeytoolException.usage("--subject is not a distinguished name: " + dn);
    }
  }
}
