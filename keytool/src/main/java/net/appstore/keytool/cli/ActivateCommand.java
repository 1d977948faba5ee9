package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.instant;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.HsmAccess;
import net.appstore.keytool.keys.KeyLookup;
import net.appstore.keytool.keys.LockedChange;
import net.appstore.keytool.keys.Registry;
import net.appstore.keytool.keys.Transitions;
import net.appstore.keytool.lifecycle.KeyLifecycle;
import net.appstore.keytool.lifecycle.Transition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code keytool activate KID}: PUBLISHED → ACTIVE; the previous ACTIVE key → RETIRING. */
@Command(
    name = "activate",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a PUBLISHED key the one the signer signs with; the previous ACTIVE key of its purpose"
          + " becomes RETIRING (still verifies, no longer signs) in the same step.",
      "Refused until the key has been published for the key-cache age, so that no verifier with a"
          + " cached key set rejects its receipts (--force overrides, recorded). Never for a key"
          + " outside its validity window. Checks first that the HSM holds the key and it signs."
    })
final class ActivateCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Mixin ForceOption forceOption;

  @Parameters(index = "0", paramLabel = "KID", description = "The key to activate.")
  String kid;

  ActivateCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    String actor = actorOption.actor(context);
    KeyLifecycle lifecycle = new KeyLifecycle(config.policy());
    HsmToken hsm = HsmAccess.open(config, context);
    Registry registry = Registry.connect(config);
    KeyPurpose purpose = KeyLookup.purposeOf(registry, kid);
    Instant now = context.now();
    Activation done =
        LockedChange.run(
            registry,
            purpose,
            null,
            (dao, created) -> {
              RegisteredKey key = KeyLookup.require(dao, kid);
              List<Transition> steps =
                  activation(dao, key, lifecycle, now, forceOption.force, forceOption.reason);
              HsmAccess.requireUsable(hsm, key);
              return new Activation(steps, Transitions.apply(dao, steps, now, actor));
            });
    report(out(), done, lifecycle);
    return ok();
  }

  /** The steps an activation took and the keys as they are afterwards. */
  record Activation(List<Transition> steps, List<RegisteredKey> changed) {}

  /** The lifecycle's activation steps, the operator's reason added to forced ones. */
  static List<Transition> activation(
      KeyRegistryDao dao,
      RegisteredKey key,
      KeyLifecycle lifecycle,
      Instant now,
      boolean force,
      String reason)
      throws Exception {
    Optional<RegisteredKey> current = dao.findActive(key.purpose());
    return lifecycle.activate(key, current, now, force).stream()
        .map(step -> step.forced() ? step.withReason(reason) : step)
        .toList();
  }

  /** What an activation changed, as the operator needs to read it. */
  static void report(PrintWriter out, Activation done, KeyLifecycle lifecycle) {
    for (RegisteredKey key : done.changed()) {
      switch (key.state()) {
        case ACTIVE ->
            out.printf(
                "activated %s: the signer signs new %s documents with it from its next key"
                    + " refresh%n",
                key.kid(), key.purpose().wireName());
        case RETIRING ->
            out.printf(
                "%s is RETIRING: it still verifies but no longer signs; it can be retired from"
                    + " %s%n",
                key.kid(), lifecycle.receiptsValidUntil(key).map(i -> instant(i)).orElse("now"));
        default -> out.printf("%s is %s%n", key.kid(), key.state());
      }
    }
    for (Transition step : done.steps()) {
      if (step.forced()) {
        out.printf("  FORCED, recorded in the key event log: %s%n", step.note().orElse(""));
      }
    }
  }
}
