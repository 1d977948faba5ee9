package net.appstore.keytool.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import net.appstore.keytool.lifecycle.LifecyclePolicy;

/**
 * Everything keytool needs to know besides the command line: where the registry and the HSM are,
 * and the lifecycle's waiting times. Immutable; holds no PIN (that is read when the HSM is opened).
 *
 * @param jdbcUrl the registry's primary database
 * @param dbUser database user, if not in the URL
 * @param dbPassword database password, if not in the URL
 * @param pkcs11Library the PKCS#11 module
 * @param tokenLabel the HSM token's label
 * @param policy the lifecycle rules' waiting times
 * @param keyValidity how long a newly generated signing key's certificate is valid
 * @param rootValidity how long the root certificate is valid (init's default)
 * @param rootSubject the root certificate's subject DN (init's default)
 */
public record KeytoolConfig(
    Optional<String> jdbcUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    Path pkcs11Library,
    Optional<String> tokenLabel,
    LifecyclePolicy policy,
    Duration keyValidity,
    Duration rootValidity,
    String rootSubject) {

  /** Signing keys rotate yearly; a month of slack for the rotation itself. */
  public static final Duration DEFAULT_KEY_VALIDITY = Duration.ofDays(395);

  /** The root is pinned in every verifier, so it lives long. */
  public static final Duration DEFAULT_ROOT_VALIDITY = Duration.ofDays(3650);

  public static final String DEFAULT_ROOT_SUBJECT = "CN=Receipt signing root, O=App Store";

  public KeytoolConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPassword, "dbPassword");
    Objects.requireNonNull(pkcs11Library, "pkcs11Library");
    Objects.requireNonNull(tokenLabel, "tokenLabel");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(keyValidity, "keyValidity");
    Objects.requireNonNull(rootValidity, "rootValidity");
    Objects.requireNonNull(rootSubject, "rootSubject");
  }

  /** Leaves the password out. */
  @Override
  public String toString() {
    return "KeytoolConfig[db="
        + jdbcUrl.orElse("<unset>")
        + ", user="
        + dbUser.orElse("<from url>")
        + ", hsm="
        + pkcs11Library
        + " token "
        + tokenLabel.orElse("<unset>")
        + ", "
        + policy
        + ", keyValidity="
        + keyValidity
        + "]";
  }
}
