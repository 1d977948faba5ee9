package net.appstore.hsm;

import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_ALWAYS_SENSITIVE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_CLASS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_NEVER_EXTRACTABLE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_PRIVATE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_TOKEN;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Object-level work on one token that the KeyStore API cannot do: reading protection attributes,
 * and finding or destroying every object of a key (SunPKCS11's deleteEntry leaves the public key
 * object behind). A key's objects share CKA_ID = CKA_LABEL = the label's UTF-8 bytes.
 *
 * <p>Thread-safe: each call uses a session of its own. Private objects are visible because login
 * state in PKCS#11 belongs to the whole process, which SunPKCS11 logged in.
 */
final class TokenObjects {

  private static final int FIND_BATCH = 16;

  private final Pkcs11Library library;
  private final long slot;

  TokenObjects(Pkcs11Library library, long slot) {
    this.library = library;
    this.slot = slot;
  }

  /** True if any object carries this label as CKA_ID or CKA_LABEL. */
  boolean anyObjectNamed(String label) throws PKCS11Exception {
    return library.inSession(
        slot,
        session ->
            !find(session, new CK_ATTRIBUTE(CKA_ID, bytes(label))).isEmpty()
                || !find(session, new CK_ATTRIBUTE(CKA_LABEL, bytes(label))).isEmpty());
  }

  /** Destroys every object whose CKA_ID is this label; returns how many there were. */
  int destroyAll(String label) throws PKCS11Exception {
    return library.inSession(
        slot,
        session -> {
          List<Long> handles = find(session, new CK_ATTRIBUTE(CKA_ID, bytes(label)));
          for (long handle : handles) {
            library.api().C_DestroyObject(session, handle);
          }
          return handles.size();
        });
  }

  /** The private key's protection attributes, or empty if no private key has this label. */
  Optional<KeyAttributes> privateKeyAttributes(String label) throws PKCS11Exception {
    return library.inSession(
        slot,
        session -> {
          List<Long> keys =
              find(
                  session,
                  new CK_ATTRIBUTE(CKA_CLASS, CKO_PRIVATE_KEY),
                  new CK_ATTRIBUTE(CKA_ID, bytes(label)));
          if (keys.isEmpty()) {
            return Optional.empty();
          }
          CK_ATTRIBUTE[] read = {
            new CK_ATTRIBUTE(CKA_TOKEN),
            new CK_ATTRIBUTE(CKA_PRIVATE),
            new CK_ATTRIBUTE(CKA_SENSITIVE),
            new CK_ATTRIBUTE(CKA_EXTRACTABLE),
            new CK_ATTRIBUTE(CKA_ALWAYS_SENSITIVE),
            new CK_ATTRIBUTE(CKA_NEVER_EXTRACTABLE)
          };
          library.api().C_GetAttributeValue(session, keys.get(0), read);
          return Optional.of(
              new KeyAttributes(
                  read[0].getBoolean(),
                  read[1].getBoolean(),
                  read[2].getBoolean(),
                  read[3].getBoolean(),
                  read[4].getBoolean(),
                  read[5].getBoolean()));
        });
  }

  private List<Long> find(long session, CK_ATTRIBUTE... template) throws PKCS11Exception {
    PKCS11 api = library.api();
    List<Long> handles = new ArrayList<>();
    api.C_FindObjectsInit(session, template);
    try {
      long[] batch;
      do {
        batch = api.C_FindObjects(session, FIND_BATCH);
        for (long handle : batch) {
          handles.add(handle);
        }
      } while (batch.length == FIND_BATCH);
    } finally {
      api.C_FindObjectsFinal(session);
    }
    return handles;
  }

  static byte[] bytes(String label) {
    return label.getBytes(StandardCharsets.UTF_8);
  }
}
