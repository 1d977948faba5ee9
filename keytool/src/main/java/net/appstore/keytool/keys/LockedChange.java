package net.appstore.keytool.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKeyException;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keytool.Failures;
import net.appstore.keytool.KeytoolException;

/**
 * One lifecycle change of one purpose, all or nothing across registry and HSM.
 *
 * <p>The work runs in one registry transaction holding the purpose's advisory lock, so changes of a
 * purpose (two rotations, a rotation and an activate) are serialised and each one decides on rows
 * nobody else can change meanwhile. HSM keys the work generates are recorded; if the transaction
 * does not commit they are deleted again, so registry and HSM agree afterwards:
 *
 * <ul>
 *   <li>failure before the commit: the registry certainly has nothing, the keys are deleted;
 *   <li>failure of the commit itself (connection lost): the outcome is asked on a new connection;
 *       keys the registry does not have are deleted, keys it has are kept;
 *   <li>if the registry cannot be asked, or the HSM refuses the deletion, the key is kept and the
 *       next locked change of the purpose that sweeps ({@link OrphanSweep}) removes it, because a
 *       keytool-named HSM key the registry does not know was never published and never signed.
 * </ul>
 *
 * Stateless; each call is confined to its thread.
 */
public final class LockedChange {

  /** Waiting longer for another run's lock means something hangs; say so instead. */
  static final int LOCK_TIMEOUT_SECONDS = 120;

  private LockedChange() {}

  /** The work of a locked change. */
  @FunctionalInterface
  public interface Work<T> {
    T run(KeyRegistryDao dao, NewHsmKeys created) throws Exception;
  }

  /**
   * @param hsm the token generated keys live on; null when the work generates none
   */
  public static <T> T run(Registry registry, KeyPurpose purpose, HsmToken hsm, Work<T> work)
      throws Exception {
    NewHsmKeys created = new NewHsmKeys();
    boolean[] workDone = {false};
    try {
      return registry
          .jdbi()
          .inTransaction(
              handle -> {
                handle.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
                KeyRegistryDao dao = handle.attach(KeyRegistryDao.class);
                dao.lockPurpose(purpose);
                T result = work.run(dao, created);
                workDone[0] = true;
                return result;
              });
    } catch (Exception e) {
      if (created.isEmpty() || hsm == null) {
        throw e;
      }
      throw undo(registry, hsm, purpose, created, workDone[0], e);
    }
  }

  private static Exception undo(
      Registry registry,
      HsmToken hsm,
      KeyPurpose purpose,
      NewHsmKeys created,
      boolean commitAttempted,
      Exception failure) {
    List<String> notes = new ArrayList<>();
    for (String label : created.labels()) {
      Optional<Boolean> registered =
          commitAttempted ? registered(registry, label) : Optional.of(false);
      if (registered.isEmpty()) {
        notes.add(
            "HSM key '"
                + label
                + "' kept: the registry cannot tell whether it was registered; the next rotate"
                + " or generate for "
                + purpose.wireName()
                + " removes it if not");
      } else if (registered.get()) {
        notes.add("the registry has key '" + label + "' despite the error: it was registered");
      } else {
        notes.add(delete(hsm, label, purpose));
      }
    }
    String note = String.join("; ", notes);
    Failures.Failure classified = Failures.classify(failure);
    if (classified.isBug()) {
      failure.addSuppressed(new IllegalStateException(note));
      return failure;
    }
    return new KeytoolException(
        classified.exitCode(), classified.message() + " (" + note + ")", failure);
  }

  private static String delete(HsmToken hsm, String label, KeyPurpose purpose) {
    try {
      hsm.deleteKey(label);
      return "the HSM key '" + label + "' generated meanwhile was removed";
    } catch (HsmKeyException e) {
      if (e.reason() == HsmKeyException.Reason.KEY_ABSENT) {
        return "the HSM key '" + label + "' is gone";
      }
      return keptNote(label, purpose, e);
    } catch (HsmException e) {
      return keptNote(label, purpose, e);
    }
  }

  private static String keptNote(String label, KeyPurpose purpose, HsmException e) {
    return "HSM key '"
        + label
        + "' could not be removed now ("
        + e.getMessage()
        + "); the next rotate or generate for "
        + purpose.wireName()
        + " removes it";
  }

  private static Optional<Boolean> registered(Registry registry, String label) {
    try {
      return Optional.of(
          registry
              .jdbi()
              .withHandle(
                  handle ->
                      handle
                              .createQuery(
                                  "SELECT count(*) FROM keys.signing_key WHERE hsm_label = :label")
                              .bind("label", label)
                              .mapTo(Integer.class)
                              .one()
                          > 0));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
