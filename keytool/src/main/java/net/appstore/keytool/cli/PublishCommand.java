package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.duration;
import static net.appstore.keytool.HumanTime.instant;

import java.time.Instant;
import java.util.List;
import net.appstore.keys.KeyPurpose;
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

/** {@code keytool publish KID}: GENERATED → PUBLISHED (into the JWKS). */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a GENERATED key: it joins the key set (JWKS) the signer serves, so verifiers learn"
          + " it before it signs anything.",
      "It can be activated once it has been published for the key-cache age (keys.key-cache-age)."
    })
final class PublishCommand extends KeytoolCommand {

  @Mixin ActorOption actorOption;

  @Parameters(index = "0", paramLabel = "KID", description = "The key to publish.")
  String kid;

  PublishCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    String actor = actorOption.actor(context);
    KeyLifecycle lifecycle = new KeyLifecycle(config.policy());
    Registry registry = Registry.connect(config);
    KeyPurpose purpose = KeyLookup.purposeOf(registry, kid);
    Instant now = context.now();
    Transition step =
        LockedChange.run(
            registry,
            purpose,
            null,
            (dao, created) -> {
              Transition publish = lifecycle.publish(KeyLookup.require(dao, kid), now);
              Transitions.apply(dao, List.of(publish), now, actor);
              return publish;
            });
    out().printf("published %s: it is in the key set verifiers fetch%n", step.kid());
    out()
        .printf(
            "  activation allowed from %s (key-cache age %s): keytool activate %s%n",
            instant(now.plus(config.policy().keyCacheAge())),
            duration(config.policy().keyCacheAge()),
            step.kid());
    return ok();
  }
}
