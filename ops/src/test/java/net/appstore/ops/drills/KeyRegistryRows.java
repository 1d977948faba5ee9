package net.appstore.ops.drills;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The signing keys as the key registry (schema {@code keys} on the primary) holds them, for drills
 * that rotate keys with keytool or make registry and HSM disagree.
 */
public final class KeyRegistryRows {

  /** One registered key: its kid, algorithm and the label of its private key in the HSM. */
  public record Key(String kid, String alg, String hsmLabel) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DrillStack stack;

  public KeyRegistryRows(DrillStack stack) {
    this.stack = stack;
  }

  /** The ACTIVE key of a purpose ({@code receipt}, {@code blocklist}). */
  public Key active(String purpose) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT kid, alg, hsm_label FROM keys.signing_key"
                            + " WHERE purpose = :purpose AND state = 'ACTIVE'")
                    .bind("purpose", purpose)
                    .map((rs, ctx) -> new Key(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .one());
  }

  /**
   * Another key of the purpose whose private key is still in the HSM (not ACTIVE, not destroyed)
   * and has the given algorithm, if there is one.
   */
  public Optional<Key> otherInHsm(String purpose, String alg) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT kid, alg, hsm_label FROM keys.signing_key WHERE purpose = :purpose"
                            + " AND alg = :alg AND state IN ('GENERATED', 'PUBLISHED', 'RETIRING')"
                            + " ORDER BY created_at DESC LIMIT 1")
                    .bind("purpose", purpose)
                    .bind("alg", alg)
                    .map((rs, ctx) -> new Key(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .findOne());
  }

  /**
   * Exchanges the HSM labels of two registered keys in one transaction: afterwards the registry
   * sends each key's signing to the other's private key, while certificates and the JWKS stay as
   * they were. Swapping again undoes it.
   */
  public void swapHsmLabels(Key a, Key b) {
    stack
        .primary()
        .useTransaction(
            h -> {
              // hsm_label is UNIQUE: park one label first.
              h.createUpdate("UPDATE keys.signing_key SET hsm_label = :parked WHERE kid = :kid")
                  .bind("parked", a.hsmLabel() + ".drill-swap")
                  .bind("kid", a.kid())
                  .execute();
              relabel(h, b.kid(), a.hsmLabel());
              relabel(h, a.kid(), b.hsmLabel());
            });
  }

  /** Undoes {@link #swapHsmLabels} of the same two keys (as they were read before it). */
  public void restoreHsmLabels(Key a, Key b) {
    swapHsmLabels(new Key(a.kid(), a.alg(), b.hsmLabel()), new Key(b.kid(), b.alg(), a.hsmLabel()));
  }

  private static void relabel(Handle h, String kid, String label) {
    h.createUpdate("UPDATE keys.signing_key SET hsm_label = :label WHERE kid = :kid")
        .bind("label", label)
        .bind("kid", kid)
        .execute();
  }

  /** The {@code kid} in a compact JWS's header (read, not verified). */
  public static String kidOf(String token) {
    String header = token.substring(0, token.indexOf('.'));
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(header)).path("kid").asText();
    } catch (IOException e) {
      throw new AssertionError("not a JWS header", e);
    }
  }

  /** Runs {@code ./ops/keytool ARGS} against the stack; fails the drill if keytool fails. */
  public ProcessResult keytool(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "ops/keytool";
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessResult result = stack.ops(Duration.ofMinutes(2), command);
    if (!result.succeeded()) {
      throw new AssertionError(
          "./ops/keytool " + String.join(" ", args) + " failed:\n" + result.tail(15));
    }
    return result;
  }
}
