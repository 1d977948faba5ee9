package net.appstore.keytool.cli;

import java.time.Instant;
import java.util.List;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
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

/** {@code keytool destroy KID}: deletes the HSM key of a RETIRED (or unused GENERATED) key. */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes a key's objects from the HSM and marks it DESTROYED. Irreversible, so there is no"
          + " override: only a RETIRED key whose receipts can no longer be valid, or a GENERATED"
          + " key that was never published.",
      "Safe to run again if it was interrupted: a key already gone from the HSM is just marked."
    })
final class DestroyCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Parameters(index = "0", paramLabel = "KID", description = "The key to destroy.")
  String kid;

  DestroyCommand(KeytoolContext context) {
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
    RegisteredKey destroyed =
        LockedChange.run(
            registry,
            purpose,
            null,
            (dao, created) -> {
              RegisteredKey key = KeyLookup.require(dao, kid);
              Transition step = lifecycle.destroy(key, now);
              // HSM first: if the registry update then fails, the key stays RETIRED and a rerun
              // finds the HSM objects gone and completes.
              Transition noted = step.withNote(deleteFromHsm(hsm, key));
              return Transitions.apply(dao, List.of(noted), now, actor).get(0);
            });
    out()
        .printf(
            "destroyed %s: its HSM objects on token '%s' are gone; the registry keeps its public"
                + " record%n",
            destroyed.kid(), hsm.settings().tokenLabel());
    return ok();
  }

  private static String deleteFromHsm(HsmToken hsm, RegisteredKey key) throws Exception {
    try {
      hsm.deleteKey(key.hsmLabel());
      return "HSM objects '" + key.hsmLabel() + "' deleted";
    } catch (HsmKeyException e) {
      if (e.reason() != HsmKeyException.Reason.KEY_ABSENT) {
        throw e;
      }
      return "HSM objects '" + key.hsmLabel() + "' were already gone";
    }
  }
}
