package net.appstore.keytool.cli;

import java.time.Duration;
import java.util.Optional;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.HsmAccess;
import net.appstore.keytool.keys.LockedChange;
import net.appstore.keytool.keys.Registry;
import net.appstore.keytool.keys.Rotation;
import net.appstore.keytool.lifecycle.KeyLifecycle;
import net.appstore.receipt.jose.SigningAlgorithm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keytool rotate --purpose P}: the safe rotation, resumable. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Rotates the signing key of a purpose as far as the rules allow now; run it again later and"
          + " it resumes:",
      "  1. retires old RETIRING keys whose receipts can no longer be valid;",
      "  2. generates and publishes a successor (or publishes one made by generate), unless one"
          + " is already waiting;",
      "  3. activates the successor once it has been published for the key-cache age (the old"
          + " ACTIVE key becomes RETIRING), or says when to run again.",
      "--force activates at once (recorded): for an expired or compromised ACTIVE key, accepting"
          + " that verifiers with a cached key set reject new receipts until they refresh.",
      "Exit code 0 also when the run only waits for the lead time, or (--start-within) when no"
          + " rotation is due."
    })
final class RotateCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Mixin ForceOption forceOption;

  @Option(
      names = "--purpose",
      required = true,
      converter = SigningPurposeConverter.class,
      completionCandidates = SigningPurposeConverter.Candidates.class,
      description = "What the keys sign: ${COMPLETION-CANDIDATES}.")
  KeyPurpose purpose;

  @Option(
      names = "--alg",
      description =
          "Algorithm of a newly generated successor (default: that of the ACTIVE key, else"
              + " RS256).")
  SigningAlgorithm algorithm;

  @Option(
      names = "--validity-days",
      paramLabel = "DAYS",
      description = "Certificate validity of a new successor (default: keys.validity).")
  Integer validityDays;

  @Option(
      names = "--start-within",
      paramLabel = "DAYS",
      description =
          "For cron: start a new rotation only if the ACTIVE key expires within DAYS days; a"
              + " rotation in progress always continues.")
  Integer startWithinDays;

  RotateCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    Duration validity = Days.validity(validityDays, config.keyValidity(), "--validity-days");
    String actor = actorOption.actor(context);
    KeyLifecycle lifecycle = new KeyLifecycle(config.policy());
    HsmToken hsm = HsmAccess.open(config, context);
    Registry registry = Registry.connect(config);
    Rotation.Request request =
        new Rotation.Request(
            purpose,
            Optional.ofNullable(algorithm),
            validity,
            forceOption.force,
            forceOption.reason,
            startWithin());
    Rotation.Outcome outcome =
        LockedChange.run(
            registry,
            purpose,
            hsm,
            (dao, created) -> Rotation.run(dao, created, hsm, context, lifecycle, request, actor));
    outcome.lines().forEach(out()::println);
    return ok();
  }

  private Optional<Duration> startWithin() throws KeytoolException {
    if (startWithinDays == null) {
      return Optional.empty();
    }
    if (startWithinDays < 0) {
      throw KeytoolException.usage("--start-within must not be negative");
    }
    return Optional.of(Duration.ofDays(startWithinDays));
  }
}
