package net.appstore.signer.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import net.appstore.hsm.HsmSettings;

/**
 * Asks a fresh process whether the HSM works: {@link HsmProbeMain} in a new JVM with this one's
 * class path, which initialises the PKCS#11 library from scratch, logs in and runs the canary for
 * each label. This process cannot tell by itself, because SunPKCS11 does not recover a token that
 * went away within a process.
 *
 * <p>The PIN goes to the child on its standard input, never on its command line (visible to every
 * user through {@code /proc}); the child's environment is this one's without the secrets.
 * Thread-safe; one probe at a time is the caller's business.
 */
public final class HsmProbe {

  /** The JVM flag hsm-config needs (see hsm-config/README.md). */
  static final String PKCS11_EXPORT = "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

  /** Environment variables of this process that the probe must not inherit. */
  private static final List<String> SECRETS =
      List.of("HSM_PIN", "PGPASSWORD", "TLS_KEYSTORE_PASSWORD", "TRUSTSTORE_PASSWORD");

  /** The outcome of one probe. */
  public enum Result {
    /** The token answers and every canary passed: a restart will find a working HSM. */
    HSM_WORKS,
    /** The token is still unavailable (or the probe did not finish in time). */
    HSM_UNAVAILABLE,
    /** The token answers but refuses the login or a key: a restart would not help. */
    KEY_FAILURE
  }

  private final HsmSettings settings;
  private final Duration timeout;
  private final String classPath;
  private final Path java;

  public HsmProbe(HsmSettings settings, Duration timeout) {
    this(
        settings,
        timeout,
        System.getProperty("java.class.path"),
        Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  HsmProbe(HsmSettings settings, Duration timeout, String classPath, Path java) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.classPath = Objects.requireNonNull(classPath, "classPath");
    this.java = Objects.requireNonNull(java, "java");
  }

  /**
   * Runs one probe.
   *
   * @param pin cleared before this returns
   * @param labels the key labels whose canary must pass
   */
  public Result run(char[] pin, List<String> labels) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "--add-exports",
                PKCS11_EXPORT,
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classPath,
                HsmProbeMain.class.getName()));
    Path output = Files.createTempFile("hsm-probe", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      // The child needs the HSM library's own settings (SOFTHSM2_CONF, a vendor's), not secrets.
      builder.environment().keySet().removeAll(SECRETS);
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(request(pin, labels));
      } finally {
        Arrays.fill(pin, '\0');
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Result.HSM_UNAVAILABLE;
      }
      return switch (process.exitValue()) {
        case HsmProbeMain.EXIT_WORKS -> Result.HSM_WORKS;
        case HsmProbeMain.EXIT_KEY_FAILURE -> Result.KEY_FAILURE;
        default -> Result.HSM_UNAVAILABLE;
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.HSM_UNAVAILABLE;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Library, token label, labels (comma-separated), PIN: one per line. */
  private byte[] request(char[] pin, List<String> labels) {
    StringBuilder text = new StringBuilder();
    text.append(settings.library()).append('\n');
    text.append(settings.tokenLabel()).append('\n');
    text.append(String.join(",", labels)).append('\n');
    text.append(pin).append('\n');
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    text.setLength(0);
    return bytes;
  }
}
