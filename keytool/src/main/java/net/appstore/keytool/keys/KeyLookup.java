package net.appstore.keytool.keys;

import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolException;

/** Finding a key by kid, refusing unknown ones with the same message everywhere. */
public final class KeyLookup {

  private KeyLookup() {}

  public static RegisteredKey require(KeyRegistryDao dao, String kid) throws KeytoolException {
    return dao.findByKid(kid)
        .orElseThrow(
            () ->
                KeytoolException.refused(
                    "no key with kid '" + kid + "' in the registry (keytool list shows them)"));
  }

  /** The purpose of a key, read before taking the purpose's lock. */
  public static KeyPurpose purposeOf(Registry registry, String kid) throws Exception {
    return registry.read((handle, dao) -> require(dao, kid).purpose());
  }
}
