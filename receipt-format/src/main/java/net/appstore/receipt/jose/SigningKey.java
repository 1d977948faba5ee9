package net.appstore.receipt.jose;

import java.security.PrivateKey;
import java.security.Provider;
import java.util.Objects;
import java.util.Optional;

/**
 * A private key ready to sign, with its key id and the one algorithm it is pinned to.
 *
 * <p>Where the key lives is the caller's business: in production an HSM object reached through the
 * SunPKCS11 {@link Provider} (the key never leaves the HSM; this object holds only a handle), in
 * tests a software key and no provider. Passing the provider explicitly keeps the JDK from picking
 * another provider that cannot use an HSM handle.
 *
 * <p>Immutable. {@link #toString()} shows the kid and algorithm only: some JDK private keys print
 * their private exponent.
 */
public final class SigningKey {

  private final String kid;
  private final SigningAlgorithm algorithm;
  private final PrivateKey privateKey;
  private final Provider provider;

  /**
   * @param provider the JCA provider that holds {@code privateKey}, or {@code null} to let the JDK
   *     choose (software keys)
   * @throws IllegalArgumentException if the key is not of the family {@code algorithm} needs
   */
  public SigningKey(
      String kid, SigningAlgorithm algorithm, PrivateKey privateKey, Provider provider) {
    this.kid = Objects.requireNonNull(kid, "kid");
    if (kid.isEmpty()) {
      throw new IllegalArgumentException("kid must not be empty");
    }
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    algorithm.requireKeyFamily(privateKey);
    this.provider = provider;
  }

  public String kid() {
    return kid;
  }

  public SigningAlgorithm algorithm() {
    return algorithm;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public Optional<Provider> provider() {
    return Optional.ofNullable(provider);
  }

  @Override
  public String toString() {
    return "SigningKey{kid=" + kid + ", alg=" + algorithm + "}";
  }
}
