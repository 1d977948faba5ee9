package net.appstore.keytool.cli;

import static net.appstore.keytool.HumanTime.instant;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import net.appstore.keytool.keys.Registry;
import net.appstore.keytool.lifecycle.KeyLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keytool list}: every registered key with its state, validity and next step. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "Lists the registered keys: kid, purpose, algorithm, state, validity, days to expiry, HSM"
            + " label, and when its next lifecycle step is allowed.")
final class ListCommand extends KeytoolCommand {

  @Option(names = "--json", description = "Print JSON ({\"keys\": [...]}) instead of a table.")
  boolean json;

  @Option(
      names = "--purpose",
      paramLabel = "PURPOSE",
      converter = PurposeConverter.class,
      description = "Only keys of this purpose: root, receipt or blocklist.")
  KeyPurpose purpose;

  ListCommand(KeytoolContext context) {
    super(context);
  }

  @Override
  int run(KeytoolConfig config) throws Exception {
    Optional<KeyPurpose> only = Optional.ofNullable(purpose);
    Registry registry = Registry.connect(config);
    List<RegisteredKey> keys =
        registry.read((handle, dao) -> only.map(dao::listByPurpose).orElseGet(dao::listAll));
    KeyLifecycle lifecycle = new KeyLifecycle(config.policy());
    Instant now = context.now();
    if (json) {
      printJson(keys, lifecycle, now);
    } else {
      printTable(keys, lifecycle, now);
    }
    return ok();
  }

  private void printTable(List<RegisteredKey> keys, KeyLifecycle lifecycle, Instant now) {
    String format = "%-27s %-9s %-5s %-9s %-20s %-20s %7s  %-27s %s%n";
    out()
        .printf(
            format,
            "KID",
            "PURPOSE",
            "ALG",
            "STATE",
            "NOT BEFORE",
            "NOT AFTER",
            "DAYS",
            "HSM LABEL",
            "NEXT STEP");
    for (RegisteredKey key : keys) {
      out()
          .printf(
              format,
              key.kid(),
              key.purpose().wireName(),
              key.alg(),
              key.state(),
              instant(key.notBefore()),
              instant(key.notAfter()),
              daysToExpiry(key, now).map(String::valueOf).orElse("expired"),
              key.hsmLabel(),
              nextStep(key, lifecycle, now));
    }
    if (keys.isEmpty()) {
      out().println("(no keys: keytool init creates the root)");
    }
  }

  private void printJson(List<RegisteredKey> keys, KeyLifecycle lifecycle, Instant now) {
    List<Object> entries = new ArrayList<>();
    for (RegisteredKey key : keys) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kid", key.kid());
      entry.put("purpose", key.purpose().wireName());
      entry.put("alg", key.alg());
      entry.put("state", key.state().name());
      entry.put("notBefore", instant(key.notBefore()));
      entry.put("notAfter", instant(key.notAfter()));
      entry.put("daysToExpiry", Duration.between(now, key.notAfter()).toDays());
      entry.put("hsmLabel", key.hsmLabel());
      entry.put("createdAt", key.createdAt().toString());
      key.publishedAt().ifPresent(at -> entry.put("publishedAt", at.toString()));
      key.activatedAt().ifPresent(at -> entry.put("activatedAt", at.toString()));
      key.retiringAt().ifPresent(at -> entry.put("retiringAt", at.toString()));
      key.retiredAt().ifPresent(at -> entry.put("retiredAt", at.toString()));
      key.destroyedAt().ifPresent(at -> entry.put("destroyedAt", at.toString()));
      String next = nextStep(key, lifecycle, now);
      if (!next.isEmpty()) {
        entry.put("nextStep", next);
      }
      entries.add(entry);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("keys", entries);
    out().println(JSONObjectUtils.toJSONString(document));
  }

  /** Whole days until the key expires; empty once it has. */
  static Optional<Long> daysToExpiry(RegisteredKey key, Instant now) {
    return now.isBefore(key.notAfter())
        ? Optional.of(Duration.between(now, key.notAfter()).toDays())
        : Optional.empty();
  }

  /** The next lifecycle step and when it is allowed; empty when there is none. */
  static String nextStep(RegisteredKey key, KeyLifecycle lifecycle, Instant now) {
    if (key.purpose() == KeyPurpose.ROOT) {
      return "";
    }
    return switch (key.state()) {
      case GENERATED -> "publish";
      case PUBLISHED -> "activate " + from(lifecycle.activationAllowedFrom(key), now);
      case RETIRING -> "retire " + from(lifecycle.receiptsValidUntil(key), now);
      case RETIRED -> "destroy " + from(lifecycle.receiptsValidUntil(key), now);
      case ACTIVE, DESTROYED -> "";
    };
  }

  private static String from(Optional<Instant> allowedFrom, Instant now) {
    return allowedFrom.filter(now::isBefore).map(at -> "from " + instant(at)).orElse("now");
  }
}
