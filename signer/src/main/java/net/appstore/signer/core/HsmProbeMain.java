package net.appstore.signer.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.appstore.hsm.HsmCanary;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;

/**
 * The probe process {@link HsmProbe} starts: reads library, token label, key labels and PIN from
 * standard input, opens the token in this fresh process and runs the canary for each label. Exit
 * status {@value #EXIT_WORKS}: the HSM works; {@value #EXIT_UNAVAILABLE}: still unavailable;
 * {@value #EXIT_KEY_FAILURE}: it answers but refuses the login or a key. Prints one line, never the
 * PIN.
 */
public final class HsmProbeMain {

  public static final int EXIT_WORKS = 0;
  public static final int EXIT_UNAVAILABLE = 69; // EX_UNAVAILABLE
  public static final int EXIT_KEY_FAILURE = 78; // EX_CONFIG

  private HsmProbeMain() {}

  public static void main(String[] args) {
    System.exit(probe());
  }

  static int probe() {
    char[] pin = null;
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      HsmSettings settings = new HsmSettings(Path.of(in.readLine()), in.readLine());
      String labelLine = in.readLine();
      String pinLine = in.readLine();
      if (pinLine == null) {
        System.out.println("hsm probe: incomplete request");
        return EXIT_UNAVAILABLE;
      }
      pin = pinLine.toCharArray();
      HsmToken token = HsmToken.open(settings, pin);
      List<String> labels = labelLine.isBlank() ? List.of() : Arrays.asList(labelLine.split(","));
      if (labels.isEmpty()) {
        token.labels();
      }
      try (HsmCanary canary = new HsmCanary(token, Duration.ofSeconds(5))) {
        for (String label : labels) {
          canary.check(label);
        }
      }
      System.out.println("hsm probe: token '" + settings.tokenLabel() + "' works");
      return EXIT_WORKS;
    } catch (HsmException e) {
      if (e instanceof HsmKeyException key) {
        System.out.println("hsm probe: key or login refused: " + key.reason());
        return EXIT_KEY_FAILURE;
      }
      System.out.println("hsm probe: unavailable: " + e.getMessage());
      return EXIT_UNAVAILABLE;
    } catch (IOException | RuntimeException e) {
      System.out.println("hsm probe: unavailable: " + e.getMessage());
      return EXIT_UNAVAILABLE;
    } finally {
      if (pin != null) {
        Arrays.fill(pin, '\0');
      }
    }
  }
}
