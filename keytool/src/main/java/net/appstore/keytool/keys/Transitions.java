package net.appstore.keytool.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.appstore.keys.KeyEvent;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.lifecycle.Transition;

/** Applies transitions the lifecycle allowed to the registry, each with its key event. */
public final class Transitions {

  private Transitions() {}

  /**
   * Applies {@code steps} in order, inside the caller's locked change.
   *
   * @return the keys as they are after their steps, in the same order
   * @throws KeytoolException (refused) if a key is no longer in the state the rules saw, which the
   *     purpose lock should make impossible; the transaction then rolls back
   */
  public static List<RegisteredKey> apply(
      KeyRegistryDao dao, List<Transition> steps, Instant now, String actor)
      throws KeytoolException {
    List<RegisteredKey> after = new ArrayList<>(steps.size());
    for (Transition step : steps) {
      if (!dao.moveState(step.kid(), step.from(), step.to(), now)) {
        throw KeytoolException.refused(
            step.kid() + " is no longer " + step.from() + " (changed meanwhile); run it again");
      }
      dao.recordEvent(
          new KeyEvent(
              step.kid(),
              Optional.of(step.from()),
              step.to(),
              now,
              actor,
              step.forced(),
              step.note()));
      after.add(dao.findByKid(step.kid()).orElseThrow());
    }
    return after;
  }
}
