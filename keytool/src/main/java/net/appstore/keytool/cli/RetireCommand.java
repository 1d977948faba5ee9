package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.duration;
import static net.appstore.keytool.HumanTime.instant;

import java.time.Instant;
import java.util.List;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.KeyLookup;
import net.appstore.keytool.keys.LockedChange;
import net.appstore.keytool.keys.Registry;
import net.appstore.keytool.keys.Transitions;
import net.appstore.keytool.lifecycle.KeyLifecycle;
import net.appstore.keytool.lifecycle.Transition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code keytool retire KID}: RETIRING (or an unused PUBLISHED key) → RETIRED. */
@Command(
    name = "retire",
    mixinStandardHelpOptions = true,
    description = {
      "Takes a key out of the key set verifiers fetch (RETIRED): a RETIRING key once nothing it"
          + " signed can still be valid, or a PUBLISHED key that never signed.",
      "Never the ACTIVE key: a purpose must always have one (activate a successor, or rotate)."
          + " --force retires a RETIRING key early, e.g. after a compromise: its receipts then"
          + " stop verifying (recorded)."
    })
final class RetireCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Mixin ForceOption forceOption;

  @Parameters(index = "0", paramLabel = "KID", description = "The key to retire.")
  String kid;

  RetireCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    String actor = actorOption.actor(context);
    KeyLifecycle lifecycle = new KeyLifecycle(config.policy());
    Registry registry = Registry.connect(config);
    KeyPurpose purpose = KeyLookup.purposeOf(registry, kid);
    Instant now = context.now();
    Transition[] taken = new Transition[1];
    RegisteredKey retired =
        LockedChange.run(
            registry,
            purpose,
            null,
            (dao, created) -> {
              Transition step =
                  lifecycle.retire(KeyLookup.require(dao, kid), now, forceOption.force);
              taken[0] = step.forced() ? step.withReason(forceOption.reason) : step;
              return Transitions.apply(dao, List.of(taken[0]), now, actor).get(0);
            });
    out()
        .printf(
            "retired %s: out of the key set; verifiers drop it within the key-cache age (%s)%n",
            retired.kid(), duration(config.policy().keyCacheAge()));
    if (taken[0].forced()) {
      out().printf("  FORCED, recorded in the key event log: %s%n", taken[0].note().orElse(""));
    }
    out()
        .printf(
            "  destroy allowed from %s: keytool destroy %s%n",
            lifecycle
                .receiptsValidUntil(retired)
                .filter(now::isBefore)
                .map(i -> instant(i))
                .orElse("now"),
            retired.kid());
    return ok();
  }
}
