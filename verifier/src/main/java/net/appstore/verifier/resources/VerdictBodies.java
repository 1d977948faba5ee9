package net.appstore.verifier.resources;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.appstore.verifier.api.Verdict;

/**
 * The JSON bytes of a {@link Verdict}, written by the service's own {@code ObjectMapper} (so they
 * are exactly what Jackson wrote when this was a Jersey resource). Every verdict but {@code
 * expired} is one of a small fixed set (a status and an enum reason), so its bytes are encoded once
 * and reused: the hot answer {@code {"status":"ok"}} costs no serialization. {@code expired}
 * carries the receipt's own {@code reissue} URL and is encoded each time.
 *
 * <p>Thread-safe.
 */
final class VerdictBodies {

  private final JaxRsAnswers json;

  /** Bounded by the statuses times the reason codes: a few dozen entries. */
  private final Map<Verdict, byte[]> fixed = new ConcurrentHashMap<>();

  VerdictBodies(JaxRsAnswers json) {
    this.json = json;
  }

  /** The encoded verdict; callers must not modify the array. */
  byte[] of(Verdict verdict) {
    if (verdict.reissue() != null) {
      return json.encode(verdict);
    }
    return fixed.computeIfAbsent(verdict, json::encode);
  }
}
