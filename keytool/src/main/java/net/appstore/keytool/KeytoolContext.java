package net.appstore.keytool;

import java.io.Console;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.appstore.hsm.KeyCertifier;

/**
 * What a keytool run gets from outside the command line: the environment, the clock, a way to ask
 * for the PIN, and (for fault-injection tests only) a wrapper around the certifier. Production uses
 * {@link #system()}; tests run the real commands with their own environment and a clock they move.
 * Immutable and thread-safe when its parts are.
 */
public final class KeytoolContext {

  /** Asks a person for the HSM PIN; empty when nobody can be asked. */
  @FunctionalInterface
  public interface PinPrompt {
    Optional<char[]> ask(String prompt);
  }

  private final Map<String, String> environment;
  private final Clock clock;
  private final PinPrompt pinPrompt;
  private final UnaryOperator<KeyCertifier> certifierWrapper;

  public KeytoolContext(
      Map<String, String> environment,
      Clock clock,
      PinPrompt pinPrompt,
      UnaryOperator<KeyCertifier> certifierWrapper) {
    this.environment = Map.copyOf(environment);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pinPrompt = Objects.requireNonNull(pinPrompt, "pinPrompt");
    this.certifierWrapper = Objects.requireNonNull(certifierWrapper, "certifierWrapper");
  }

  /** The process environment, the system clock and the terminal. */
  public static KeytoolContext system() {
    return new KeytoolContext(
        System.getenv(), Clock.systemUTC(), KeytoolContext::askConsole, UnaryOperator.identity());
  }

  /** A context with this environment and clock, no terminal, and the real certifier. */
  public static KeytoolContext of(Map<String, String> environment, Clock clock) {
    return new KeytoolContext(
        environment, clock, prompt -> Optional.empty(), UnaryOperator.identity());
  }

  /** The same context whose certifiers are wrapped, to inject certification faults in tests. */
  public KeytoolContext withCertifierWrapper(UnaryOperator<KeyCertifier> wrapper) {
    return new KeytoolContext(environment, clock, pinPrompt, wrapper);
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** Now, to the microsecond: the precision the registry stores, so values read back compare. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The HSM user PIN: {@code HSM_PIN}, or asked on the terminal. Never a command-line argument,
   * which {@code ps} would show.
   *
   * @throws KeytoolException (usage) when there is neither
   */
  public char[] hsmPin(String tokenLabel) throws KeytoolException {
    String fromEnvironment = environment.get("HSM_PIN");
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment.toCharArray();
    }
    return pinPrompt
        .ask("HSM user PIN for token '" + tokenLabel + "': ")
        .filter(pin -> pin.length > 0)
        .orElseThrow(
            () ->
                KeytoolException.usage(
                    "no HSM PIN: set HSM_PIN or run keytool on a terminal to be asked for it"));
  }

  public KeyCertifier wrap(KeyCertifier certifier) {
    return certifierWrapper.apply(certifier);
  }

  private static Optional<char[]> askConsole(String prompt) {
    Console console = System.console();
    return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword(prompt));
  }
}
