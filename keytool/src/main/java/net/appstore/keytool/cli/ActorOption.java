package net.appstore.keytool.cli;

import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import picocli.CommandLine.Option;

/** {@code --actor NAME}: who makes a lifecycle change, recorded with every key event. */
public final class ActorOption {

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description =
          "Who makes this change, for the key event log (default: $USER, else the OS account).")
  String actor;

  String actor(KeytoolContext context) throws KeytoolException {
    String name = actor;
    if (name == null || name.isBlank()) {
      name = context.environment().get("USER");
    }
    if (name == null || name.isBlank()) {
      name = context.environment().get("LOGNAME");
    }
    if (name == null || name.isBlank()) {
      name = System.getProperty("user.name");
    }
    if (name == null || name.isBlank()) {
      throw KeytoolException.usage("who is this? set --actor (or $USER)");
    }
    return name.strip();
  }
}
