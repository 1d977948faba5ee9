package net.appstore.testkit.softhsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code softhsm2-util} command. The fixture works through this command and files only:
 * PKCS#11 classes belong to hsm-config alone, and loading the library here would also freeze the
 * token list this JVM sees.
 *
 * <p>PINs go on the command line, as softhsm2-util offers no other non-interactive way; that is
 * acceptable for throwaway test tokens only. They never appear in error messages. Thread-safe.
 */
final class SoftHsmUtil {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path conf;

  SoftHsmUtil(Path conf) {
    this.conf = conf;
  }

  /** Initialises a new token in the first free slot. */
  void initToken(String label, char[] soPin, char[] userPin) {
    List<String> command = new ArrayList<>(List.of("softhsm2-util", "--init-token", "--free"));
    command.addAll(List.of("--label", label));
    run(
        command,
        List.of("--so-pin", new String(soPin), "--pin", new String(userPin)),
        "init token '" + label + "'");
  }

  /** The output of {@code --show-slots}. */
  String showSlots() {
    return run(List.of("softhsm2-util", "--show-slots"), List.of(), "show slots");
  }

  private String run(List<String> command, List<String> secretArguments, String what) {
    List<String> full = new ArrayList<>(command);
    full.addAll(secretArguments);
    Path outputFile = null;
    try {
      // Output goes to a file so that a hanging command cannot block us past the timeout.
      outputFile = Files.createTempFile("softhsm2-util", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(outputFile.toFile());
      builder.environment().put("SOFTHSM2_CONF", conf.toString());
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("softhsm2-util " + what + " timed out");
      }
      String output = Files.readString(outputFile, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "softhsm2-util " + what + " failed (exit " + process.exitValue() + "): " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run softhsm2-util (Debian package softhsm2) to " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running softhsm2-util " + what, e);
    } finally {
      deleteQuietly(outputFile);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover file in the temporary directory is harmless.
    }
  }
}
