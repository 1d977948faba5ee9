package net.appstore.keytool.keys;

import static net.appstore.keytool.HumanTime.duration;
import static net.appstore.keytool.HumanTime.instant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.lifecycle.KeyLifecycle;
import net.appstore.keytool.lifecycle.Transition;
import net.appstore.receipt.jose.SigningAlgorithm;

/**
 * The whole safe rotation of one purpose, as far as the rules allow right now; run it again later
 * and it goes on from where the registry says it stopped. Each run, under the purpose lock:
 *
 * <ol>
 *   <li>removes HSM keys an interrupted run left unregistered;
 *   <li>retires RETIRING keys whose receipts can no longer be valid (the old key's last step);
 *   <li>finds the successor: the newest PUBLISHED key; else publishes the newest GENERATED one (a
 *       manual {@code generate}); else generates and publishes a new key;
 *   <li>activates the successor once it has been published for the key-cache age ({@code force}: at
 *       once, recorded), which moves the ACTIVE key to RETIRING; otherwise says when.
 * </ol>
 *
 * A run therefore starts a new rotation only when none is in progress (no successor is waiting),
 * and two concurrent runs serialise on the lock: the second sees the first's successor and waits
 * for it instead of making another. Destroying old keys stays a separate, deliberate command.
 *
 * <p>All changes of a run commit together; the lines describing them are returned to print after
 * the commit. One instance per run, confined to its thread.
 */
public final class Rotation {

  /**
   * What to rotate and how.
   *
   * @param startWithin start a new rotation only if the ACTIVE key expires within this time (for
   *     cron); empty: always. A rotation in progress always continues.
   */
  public record Request(
      KeyPurpose purpose,
      Optional<SigningAlgorithm> algorithm,
      Duration validity,
      boolean force,
      String reason,
      Optional<Duration> startWithin) {}

  /** Where the rotation stands after a run. */
  public enum Stage {
    /** Nothing in progress and the ACTIVE key is not due (see {@link Request#startWithin}). */
    NOT_DUE,
    /** The successor is published and waits for its lead time. */
    WAITING,
    /** The successor is ACTIVE; the previous key is RETIRING. */
    ACTIVATED
  }

  /** The outcome of a run, with lines for the operator. */
  public record Outcome(Stage stage, List<String> lines) {}

  private final KeyRegistryDao dao;
  private final NewHsmKeys created;
  private final HsmToken hsm;
  private final KeytoolContext context;
  private final KeyLifecycle lifecycle;
  private final Request request;
  private final String actor;
  private final Instant now;
  private final List<String> lines = new ArrayList<>();

  private Rotation(
      KeyRegistryDao dao,
      NewHsmKeys created,
      HsmToken hsm,
      KeytoolContext context,
      KeyLifecycle lifecycle,
      Request request,
      String actor) {
    this.dao = dao;
    this.created = created;
    this.hsm = hsm;
    this.context = context;
    this.lifecycle = lifecycle;
    this.request = request;
    this.actor = actor;
    this.now = context.now();
  }

  /** One run, inside the caller's {@link LockedChange} of the request's purpose. */
  public static Outcome run(
      KeyRegistryDao dao,
      NewHsmKeys created,
      HsmToken hsm,
      KeytoolContext context,
      KeyLifecycle lifecycle,
      Request request,
      String actor)
      throws Exception {
    return new Rotation(dao, created, hsm, context, lifecycle, request, actor).run();
  }

  private Outcome run() throws Exception {
    for (String label : OrphanSweep.sweep(dao, hsm, request.purpose())) {
      lines.add("removed HSM key " + label + ": left by an interrupted run, never registered");
    }
    retireExpiredPredecessors();
    List<RegisteredKey> keys = dao.listByPurpose(request.purpose());
    Optional<RegisteredKey> active = inState(keys, KeyState.ACTIVE).findFirst();
    Optional<String> notDue = notDue(keys, active);
    if (notDue.isPresent()) {
      lines.add(notDue.get());
      return new Outcome(Stage.NOT_DUE, lines);
    }
    RegisteredKey successor = successor(keys, active);
    Instant allowedFrom = lifecycle.activationAllowedFrom(successor).orElseThrow();
    if (now.isBefore(allowedFrom) && !request.force()) {
      lines.add(
          successor.kid()
              + " is PUBLISHED; verifiers may cache the key set for "
              + duration(lifecycle.policy().keyCacheAge())
              + ", so activation waits until "
              + instant(allowedFrom)
              + " (in "
              + duration(Duration.between(now, allowedFrom))
              + "): run 'keytool rotate --purpose "
              + request.purpose().wireName()
              + "' again then");
      return new Outcome(Stage.WAITING, lines);
    }
    activate(successor, active);
    return new Outcome(Stage.ACTIVATED, lines);
  }

  /** RETIRING keys leave the key set once nothing they signed can be valid; never forced. */
  private void retireExpiredPredecessors() throws KeytoolException {
    for (RegisteredKey key : dao.listByPurpose(request.purpose())) {
      if (key.state() != KeyState.RETIRING) {
        continue;
      }
      Instant until = lifecycle.receiptsValidUntil(key).orElse(now);
      if (now.isBefore(until)) {
        lines.add(key.kid() + " stays RETIRING (verifies its receipts) until " + instant(until));
        continue;
      }
      Transitions.apply(dao, List.of(lifecycle.retire(key, now, false)), now, actor);
      lines.add(
          "retired "
              + key.kid()
              + ": nothing it signed can still be valid, so it left the key set (keytool destroy "
              + key.kid()
              + " deletes it from the HSM)");
    }
  }

  /** Why no new rotation starts now, if {@code --start-within} says it is not due. */
  private Optional<String> notDue(List<RegisteredKey> keys, Optional<RegisteredKey> active) {
    boolean inProgress =
        keys.stream()
            .anyMatch(k -> k.state() == KeyState.PUBLISHED || k.state() == KeyState.GENERATED);
    if (inProgress || active.isEmpty() || request.startWithin().isEmpty()) {
      return Optional.empty();
    }
    Instant due = active.get().notAfter().minus(request.startWithin().get());
    if (!now.isBefore(due)) {
      return Optional.empty();
    }
    return Optional.of(
        "no rotation due: the ACTIVE key "
            + active.get().kid()
            + " expires "
            + instant(active.get().notAfter())
            + "; with --start-within a new rotation starts from "
            + instant(due));
  }

  /** The newest PUBLISHED key; else a GENERATED one, published now; else a new one. */
  private RegisteredKey successor(List<RegisteredKey> keys, Optional<RegisteredKey> active)
      throws Exception {
    Optional<RegisteredKey> published =
        inState(keys, KeyState.PUBLISHED)
            .max(Comparator.comparing(key -> key.publishedAt().orElseThrow()));
    if (published.isPresent()) {
      RegisteredKey key = published.get();
      if (!now.isBefore(key.notAfter())) {
        throw KeytoolException.refused(
            "the waiting successor "
                + key.kid()
                + " expired at "
                + instant(key.notAfter())
                + " before it was activated: retire it (keytool retire "
                + key.kid()
                + ") and rotate again");
      }
      lines.add(
          "successor "
              + key.kid()
              + " ("
              + key.alg()
              + ") was published "
              + instant(key.publishedAt().orElseThrow()));
      return key;
    }
    Optional<RegisteredKey> generated =
        inState(keys, KeyState.GENERATED)
            .filter(key -> now.isBefore(key.notAfter()))
            .max(Comparator.comparing(RegisteredKey::createdAt));
    RegisteredKey fresh;
    if (generated.isPresent()) {
      fresh = generated.get();
      lines.add("using " + fresh.kid() + " (" + fresh.alg() + "), GENERATED earlier");
    } else {
      fresh = generate(active);
    }
    RegisteredKey publishedNow =
        Transitions.apply(dao, List.of(lifecycle.publish(fresh, now)), now, actor).get(0);
    lines.add("published " + publishedNow.kid() + ": verifiers learn it from the key set now");
    return publishedNow;
  }

  /** A new key, by default of the ACTIVE key's algorithm (else RS256). */
  private RegisteredKey generate(Optional<RegisteredKey> active) throws Exception {
    SigningAlgorithm algorithm =
        request
            .algorithm()
            .orElseGet(
                () ->
                    active
                        .flatMap(key -> SigningAlgorithm.fromJwsName(key.alg()))
                        .orElse(SigningAlgorithm.RS256));
    RegisteredKey key =
        KeyGeneration.signingKey(
            dao,
            created,
            hsm,
            context,
            new KeyGeneration.Request(request.purpose(), algorithm, request.validity()),
            actor,
            // The rotation's own now: a key generated a second later would otherwise start its
            // validity after the instant this same run checks when activating it.
            now);
    lines.add(
        "generated "
            + key.kid()
            + " ("
            + key.alg()
            + ") in the HSM, valid until "
            + instant(key.notAfter()));
    return key;
  }

  /** Activates the successor (the ACTIVE key moves to RETIRING), after checking the HSM. */
  private void activate(RegisteredKey successor, Optional<RegisteredKey> active) throws Exception {
    List<Transition> steps =
        lifecycle.activate(successor, active, now, request.force()).stream()
            .map(step -> step.forced() ? step.withReason(request.reason()) : step)
            .toList();
    HsmAccess.requireUsable(hsm, successor);
    for (RegisteredKey changed : Transitions.apply(dao, steps, now, actor)) {
      lines.add(
          changed.state() == KeyState.ACTIVE
              ? "activated "
                  + changed.kid()
                  + ": new "
                  + changed.purpose().wireName()
                  + " documents are signed with it from the signer's next key refresh"
              : changed.kid()
                  + " is RETIRING (verifies, no longer signs); a later rotate retires it from "
                  + lifecycle.receiptsValidUntil(changed).map(i -> instant(i)).orElse("now"));
    }
    steps.stream()
        .filter(Transition::forced)
        .forEach(step -> lines.add("  FORCED, recorded: " + step.note().orElse("")));
  }

  private static Stream<RegisteredKey> inState(List<RegisteredKey> keys, KeyState state) {
    return keys.stream().filter(key -> key.state() == state);
  }
}
