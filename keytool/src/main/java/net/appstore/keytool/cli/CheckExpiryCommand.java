package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.instant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.ExitCode;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keytool check-expiry}: for cron and monitoring. */
@Command(
    name = "check-expiry",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that the root and each signing purpose have an ACTIVE key that stays valid for more"
          + " than --warn-days. One line per purpose.",
      "Exit code 7 when one does not (no ACTIVE key, or it expires within the window): rotate."
          + " The HSM does not enforce expiry; this and the signer do."
    })
final class CheckExpiryCommand extends KeytoolCommand {

  @Option(
      names = "--warn-days",
      paramLabel = "N",
      defaultValue = "30",
      description = "Warn when an ACTIVE key expires within N days (default: ${DEFAULT-VALUE}).")
  int warnDays;

  CheckExpiryCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    if (warnDays < 0) {
      throw KeytoolException.usage("--warn-days must not be negative");
    }
    Registry registry = Registry.connect(config);
    Instant now = context.now();
    Instant horizon = now.plus(Duration.ofDays(warnDays));
    List<Optional<RegisteredKey>> active =
        registry.read(
            (handle, dao) ->
                List.of(
                    dao.findActive(KeyPurpose.ROOT),
                    dao.findActive(KeyPurpose.RECEIPT),
                    dao.findActive(KeyPurpose.BLOCKLIST)));
    boolean problem = false;
    KeyPurpose[] purposes = {KeyPurpose.ROOT, KeyPurpose.RECEIPT, KeyPurpose.BLOCKLIST};
    for (int i = 0; i < purposes.length; i++) {
      String name = purposes[i].wireName();
      Optional<RegisteredKey> key = active.get(i);
      if (key.isEmpty()) {
        out().printf("%-9s NONE     no ACTIVE key%n", name);
        problem = true;
        continue;
      }
      RegisteredKey k = key.get();
      String when =
          now.isBefore(k.notAfter())
              ? "expires " + instant(k.notAfter()) + " (in " + days(now, k.notAfter()) + " days)"
              : "EXPIRED at " + instant(k.notAfter());
      boolean warn = !horizon.isBefore(k.notAfter());
      problem |= warn;
      out().printf("%-9s %-8s %s %s%n", name, warn ? "WARN" : "ok", k.kid(), when);
    }
    return problem ? ExitCode.EXPIRING : ok();
  }

  private static long days(Instant now, Instant then) {
    return Duration.between(now, then).toDays();
  }
}
