package net.appstore.testkit.softhsm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A SoftHSM2 token initialised for one test class: its label, PINs, and where the files are.
 *
 * <p>Immutable; the PIN accessors return copies. {@link #toString()} leaves the PINs out. The PINs
 * are random per token: they are test secrets, but a test that needs one must ask for it.
 */
public final class SoftHsmToken {

  private final String label;
  private final char[] userPin;
  private final char[] soPin;
  private final Path conf;
  private final Path library;
  private final Path directory;

  SoftHsmToken(
      String label, char[] userPin, char[] soPin, Path conf, Path library, Path directory) {
    this.label = Objects.requireNonNull(label, "label");
    this.userPin = userPin.clone();
    this.soPin = soPin.clone();
    this.conf = Objects.requireNonNull(conf, "conf");
    this.library = Objects.requireNonNull(library, "library");
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** The token label, unique per test class and JVM. */
  public String label() {
    return label;
  }

  /** A copy of the user PIN. */
  public char[] userPin() {
    return userPin.clone();
  }

  /** A copy of the security officer PIN. */
  public char[] soPin() {
    return soPin.clone();
  }

  /** The softhsm2.conf this JVM's SOFTHSM2_CONF points to. */
  public Path conf() {
    return conf;
  }

  /** The PKCS#11 library to load. */
  public Path library() {
    return library;
  }

  /**
   * This token's own directory inside the token directory. Failure drills move it away to make the
   * token vanish under a running process.
   */
  public Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return "SoftHsmToken[" + label + ", " + directory + "]";
  }
}
