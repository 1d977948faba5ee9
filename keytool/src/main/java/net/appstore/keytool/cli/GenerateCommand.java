package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.instant;

import java.time.Duration;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keytool generate}: a new signing key in the HSM, certified, registered GENERATED. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates a signing key inside the HSM (sensitive, never extractable), has the root certify"
          + " it for a validity window, and registers it as GENERATED.",
      "Next: keytool publish KID, then activate it once verifiers have seen it (or use rotate,"
          + " which does all of this)."
    })
final class GenerateCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Option(
      names = "--purpose",
      required = true,
      converter = SigningPurposeConverter.class,
      completionCandidates = SigningPurposeConverter.Candidates.class,
      description = "What the key signs: ${COMPLETION-CANDIDATES}.")
  KeyPurpose purpose;

  @Option(
      names = "--alg",
      defaultValue = "RS256",
      description =
          "The one JWS algorithm the key signs with: RS256 (default; cheapest to verify), PS256,"
              + " ES256.")
  SigningAlgorithm algorithm;

  @Option(
      names = "--bits",
      description = "RSA modulus size; the HSM layer generates 2048-bit RSA keys only.")
  Integer bits;

  @Option(
      names = "--validity-days",
      paramLabel = "DAYS",
      description = "Certificate validity (default: keys.validity, 395 days).")
  Integer validityDays;

  GenerateCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    requireBits(algorithm, bits);
    Duration validity = Days.validity(validityDays, config.keyValidity(), "--validity-days");
    String actor = actorOption.actor(context);
    HsmToken hsm = HsmAccess.open(config, context);
    Registry registry = Registry.connect(config);
    RegisteredKey key =
        LockedChange.run(
            registry,
            purpose,
            hsm,
            (dao, created) -> {
              reportSwept(OrphanSweep.sweep(dao, hsm, purpose));
              return KeyGeneration.signingKey(
                  dao,
                  created,
                  hsm,
                  context,
                  new KeyGeneration.Request(purpose, algorithm, validity),
                  actor,
                  context.now());
            });
    out()
        .printf(
            "generated %s (%s, %s) in HSM token '%s', valid %s to %s: GENERATED%n",
            key.kid(),
            key.purpose().wireName(),
            key.alg(),
            hsm.settings().tokenLabel(),
            instant(key.notBefore()),
            instant(key.notAfter()));
    out().printf("  next: keytool publish %s%n", key.kid());
    return ok();
  }

  static void requireBits(SigningAlgorithm algorithm, Integer bits) throws KeytoolException {
    if (bits == null) {
      return;
    }
    boolean fits = algorithm == SigningAlgorithm.ES256 ? bits == 256 : bits == 2048;
    if (!fits) {
      throw KeytoolException.usage(
          "--bits "
              + bits
              + " does not fit "
              + algorithm
              + (algorithm == SigningAlgorithm.ES256
                  ? " (P-256: 256 bits)"
                  : " (the HSM layer generates 2048-bit RSA keys only)"));
    }
  }
}
