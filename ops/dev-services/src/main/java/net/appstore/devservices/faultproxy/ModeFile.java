package net.appstore.devservices.faultproxy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The switch of a running proxy: a text file holding its mode ({@link ProxyMode#parse}); no file
 * means {@code pass}. Because the file outlives the process, a proxy restarted by its supervisor
 * comes back in the mode it was switched to. After each change the proxy writes what it applied
 * (the mode, or {@code error: ...}) to {@code FILE.applied}, so a switch can wait for it. Not
 * thread-safe: one poller calls {@link #poll}.
 */
public final class ModeFile {

  private final Path file;
  private final Path applied;
  private final FaultProxy proxy;
  private final PrintStream log;
  private String lastText;

  public ModeFile(Path file, FaultProxy proxy, PrintStream log) {
    this.file = file;
    this.applied = file.resolveSibling(file.getFileName() + ".applied");
    this.proxy = proxy;
    this.log = log;
  }

  /** The mode the file asks for now; {@code pass} when there is no file. */
  public static ProxyMode read(Path file) throws IOException {
    try {
      return ProxyMode.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return ProxyMode.PASS;
    }
  }

  /** Applies the file's mode if its text changed since the last poll. */
  public void poll() throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      text = ProxyMode.PASS.toString();
    }
    if (text.equals(lastText)) {
      return;
    }
    lastText = text;
    String outcome;
    try {
      ProxyMode mode = ProxyMode.parse(text);
      if (!mode.equals(proxy.mode())) {
        proxy.setMode(mode);
      }
      outcome = mode.toString();
    } catch (IllegalArgumentException e) {
      outcome = "error: " + e.getMessage() + " (still " + proxy.mode() + ")";
      log.println("mode file " + file + ": " + outcome);
    }
    writeApplied(outcome);
  }

  private void writeApplied(String outcome) throws IOException {
    Path tmp = applied.resolveSibling(applied.getFileName() + ".tmp");
    Files.writeString(tmp, outcome + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, applied, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
