package net.appstore.signer.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the signer: callers by certificate CN, and the issuers they sign for. Built once
 * from the configuration, which it checks as a whole (every caller's issuers are configured).
 * Immutable, thread-safe.
 */
public final class CallerPolicy {

  private final Map<String, Caller> callers;
  private final Map<String, IssuerProfile> issuers;

  /**
   * @throws IllegalArgumentException if a caller names an issuer that is not configured
   */
  public CallerPolicy(Iterable<Caller> callers, Iterable<IssuerProfile> issuers) {
    Map<String, IssuerProfile> byIss = new LinkedHashMap<>();
    for (IssuerProfile issuer : issuers) {
      byIss.put(issuer.iss(), issuer);
    }
    Map<String, Caller> byName = new LinkedHashMap<>();
    for (Caller caller : callers) {
      for (String iss : caller.issuers()) {
        if (!byIss.containsKey(iss)) {
          throw new IllegalArgumentException(
              "caller " + caller.name() + " names issuer " + iss + ", which is not configured");
        }
      }
      byName.put(caller.name(), caller);
    }
    this.callers = Map.copyOf(byName);
    this.issuers = Map.copyOf(byIss);
  }

  /** The caller with this certificate CN, if configured. */
  public Optional<Caller> caller(String commonName) {
    return Optional.ofNullable(callers.get(commonName));
  }

  /** The profile of a configured issuer. */
  public IssuerProfile issuer(String iss) {
    IssuerProfile profile = issuers.get(iss);
    if (profile == null) {
      throw new IllegalStateException("issuer " + iss + " is not configured");
    }
    return profile;
  }

  /** Every configured issuer: what verify-after-sign accepts. */
  public Set<String> issuerNames() {
    return issuers.keySet();
  }
}
