package net.appstore.keytool.cli;

import picocli.CommandLine.Option;

/**
 * {@code --force}: override a waiting rule (never a validity or irreversibility rule); the override
 * is recorded in the key event with the reason.
 */
public final class ForceOption {

  @Option(
      names = "--force",
      description =
          "Override the waiting rule this command enforces; recorded as forced in the key event.")
  boolean force;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why the rule is overridden; recorded with the key event.")
  String reason;
}
