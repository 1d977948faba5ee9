package net.appstore.keytool.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.ca.RootCa;

/**
 * Finds and removes HSM keys that keytool generated but never registered: what a run leaves when it
 * dies between generating a key and committing its registration. Such a key was never published, so
 * nothing can have trusted it, and nothing can have signed with it (signers use only registered
 * ACTIVE keys).
 *
 * <p>Two guards keep this from deleting keys that matter: it runs under the purpose lock ({@link
 * LockedChange}), where no other generation of the purpose can be in flight; and it first proves
 * that registry and token belong together ({@link RootCa#requirePaired}), because pointed at the
 * wrong registry every production key would look unregistered. Stateless.
 */
public final class OrphanSweep {

  private OrphanSweep() {}

  /**
   * Removes unregistered keytool keys of a signing purpose.
   *
   * @return the labels removed
   * @throws KeytoolException (integrity) if registry and token do not belong together
   */
  public static List<String> sweep(KeyRegistryDao dao, HsmToken hsm, KeyPurpose purpose)
      throws KeytoolException, HsmException {
    if (purpose == KeyPurpose.ROOT) {
      throw new IllegalArgumentException("unregistered roots are for init to judge");
    }
    RootCa.requirePaired(dao, hsm);
    List<String> removed = new ArrayList<>();
    for (String label : unregistered(dao, hsm, purpose)) {
      hsm.deleteKey(label);
      removed.add(label);
    }
    return removed;
  }

  /**
   * Keys on the token named like keytool's keys of this purpose that the registry does not know.
   */
  public static List<String> unregistered(KeyRegistryDao dao, HsmToken hsm, KeyPurpose purpose)
      throws HsmException {
    Set<String> registered =
        dao.listByPurpose(purpose).stream()
            .map(RegisteredKey::hsmLabel)
            .collect(Collectors.toSet());
    List<String> unknown = new ArrayList<>();
    for (String label : hsm.labels()) {
      if (KeyIds.isKeytoolLabel(label, purpose) && !registered.contains(label)) {
        unknown.add(label);
      }
    }
    return unknown;
  }
}
