package net.appstore.hsm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the HSM is: the PKCS#11 library and the label of the token to use. The slot is not part of
 * the settings because SoftHSM2 derives slot ids from token serials and reorders them whenever a
 * token is added; {@link HsmToken#open} finds the slot by label at run time.
 *
 * <p>Immutable.
 *
 * @param library absolute path of the PKCS#11 module, e.g. {@link #SOFTHSM2_LIBRARY}
 * @param tokenLabel the token label, as given to {@code softhsm2-util --init-token --label}
 */
public record HsmSettings(Path library, String tokenLabel) {

  /** The SoftHSM2 module installed by the Debian {@code softhsm2} package. */
  public static final Path SOFTHSM2_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  /** PKCS#11 token labels are 32 bytes, blank padded. */
  static final int MAX_TOKEN_LABEL_LENGTH = 32;

  /** Validates the settings. */
  public HsmSettings {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(tokenLabel, "tokenLabel");
    if (!library.isAbsolute()) {
      throw new IllegalArgumentException("PKCS#11 library path must be absolute: " + library);
    }
    if (tokenLabel.isBlank()
        || tokenLabel.length() > MAX_TOKEN_LABEL_LENGTH
        || !tokenLabel.equals(tokenLabel.strip())) {
      throw new IllegalArgumentException(
          "token label must be 1 to 32 characters without surrounding blanks: '"
              + tokenLabel
              + "'");
    }
  }

  /** Settings for a SoftHSM2 token with the Debian library path. */
  public static HsmSettings softHsm2(String tokenLabel) {
    return new HsmSettings(SOFTHSM2_LIBRARY, tokenLabel);
  }
}
