package net.appstore.keytool.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import net.appstore.hsm.HsmSettings;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.lifecycle.LifecyclePolicy;

/**
 * Reads keytool's configuration: built-in defaults, then an optional properties file ({@code
 * --config FILE} or {@code $KEYTOOL_CONFIG}), then the environment, which wins for connection
 * settings so that the local stack's {@code .stack/env} and a service's environment work unchanged.
 *
 * <pre>
 * key                        environment        default
 * db.url                     PRIMARY_JDBC_URL   (required for registry commands)
 * db.user                    PGUSER             (from the URL)
 * db.password                PGPASSWORD         (from the URL; prefer the environment)
 * hsm.library                PKCS11_LIBRARY     /usr/lib/softhsm/libsofthsm2.so
 * hsm.token-label            HSM_TOKEN_LABEL    (required for HSM commands)
 * keys.key-cache-age                            PT24H  publish → activate lead time
 * keys.validity                                 P395D  certificate validity of a new signing key
 * keys.receipt-lifetime                         P180D  longest iat → exp of a signed document
 * keys.signer-key-staleness                     PT10M  how long a signer may keep a replaced key
 * root.validity                                 P3650D
 * root.subject                                  CN=Receipt signing root, O=App Store
 * </pre>
 *
 * Durations are ISO-8601 ({@code PT24H}, {@code P180D}). Unknown keys are refused, so a typo cannot
 * silently leave a default in force. The HSM PIN is never configured here: {@code HSM_PIN} or a
 * prompt. SoftHSM2 reads {@code SOFTHSM2_CONF} from the process environment itself.
 */
public final class ConfigLoader {

  /** Environment variable naming the configuration file when {@code --config} is not given. */
  public static final String CONFIG_VARIABLE = "KEYTOOL_CONFIG";

  private static final Set<String> KEYS =
      Set.of(
          "db.url",
          "db.user",
          "db.password",
          "hsm.library",
          "hsm.token-label",
          "keys.key-cache-age",
          "keys.validity",
          "keys.receipt-lifetime",
          "keys.signer-key-staleness",
          "root.validity",
          "root.subject");

  private ConfigLoader() {}

  /**
   * @param file the {@code --config} option, if given
   * @param environment the process environment
   * @throws KeytoolException (usage) for an unreadable file, an unknown key or a bad value
   */
  public static KeytoolConfig load(Optional<Path> file, Map<String, String> environment)
      throws KeytoolException {
    Optional<Path> path = file.or(() -> nonBlank(environment.get(CONFIG_VARIABLE)).map(Path::of));
    Properties properties = path.isPresent() ? read(path.get()) : new Properties();
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw KeytoolException.usage(
          "unknown configuration key(s) " + unknown + " in " + path.orElseThrow());
    }
    Settings s = new Settings(properties, environment);
    String library = s.value("hsm.library", "PKCS11_LIBRARY").orElse(null);
    Path libraryPath = library == null ? HsmSettings.SOFTHSM2_LIBRARY : Path.of(library);
    if (!libraryPath.isAbsolute()) {
      throw KeytoolException.usage("the PKCS#11 library path must be absolute: " + library);
    }
    LifecyclePolicy policy =
        new LifecyclePolicy(
            s.duration("keys.key-cache-age", LifecyclePolicy.DEFAULT_KEY_CACHE_AGE),
            s.duration("keys.receipt-lifetime", LifecyclePolicy.DEFAULT_RECEIPT_LIFETIME),
            s.duration("keys.signer-key-staleness", LifecyclePolicy.DEFAULT_SIGNER_KEY_STALENESS));
    return new KeytoolConfig(
        s.value("db.url", "PRIMARY_JDBC_URL"),
        s.value("db.user", "PGUSER"),
        s.value("db.password", "PGPASSWORD"),
        libraryPath,
        s.value("hsm.token-label", "HSM_TOKEN_LABEL"),
        policy,
        s.positiveDuration("keys.validity", KeytoolConfig.DEFAULT_KEY_VALIDITY),
        s.positiveDuration("root.validity", KeytoolConfig.DEFAULT_ROOT_VALIDITY),
        s.value("root.subject", null).orElse(KeytoolConfig.DEFAULT_ROOT_SUBJECT));
  }

  private static Properties read(Path path) throws KeytoolException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
      return properties;
    } catch (NoSuchFileException e) {
      throw KeytoolException.usage("configuration file " + path + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw KeytoolException.usage("cannot read configuration file " + path + ": " + e);
    }
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** One lookup: environment first (if the key has a variable), then the file. */
  private record Settings(Properties file, Map<String, String> environment) {

    Optional<String> value(String key, String variable) {
      Optional<String> fromEnvironment =
          variable == null ? Optional.empty() : nonBlank(environment.get(variable));
      return fromEnvironment.or(() -> nonBlank(file.getProperty(key)));
    }

    Duration duration(String key, Duration fallback) throws KeytoolException {
      Optional<String> text = value(key, null);
      if (text.isEmpty()) {
        return fallback;
      }
      try {
        Duration parsed = Duration.parse(text.get());
        if (parsed.isNegative()) {
          throw KeytoolException.usage(key + " must not be negative: " + text.get());
        }
        return parsed;
      } catch (DateTimeParseException e) {
        throw KeytoolException.usage(
            key + " is not an ISO-8601 duration (e.g. PT24H, P180D): " + text.get());
      }
    }

    Duration positiveDuration(String key, Duration fallback) throws KeytoolException {
      Duration parsed = duration(key, fallback);
      if (parsed.isZero()) {
        throw KeytoolException.usage(key + " must be positive");
      }
      return parsed;
    }
  }
}
