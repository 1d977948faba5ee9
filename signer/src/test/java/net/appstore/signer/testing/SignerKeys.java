package net.appstore.signer.testing;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.appstore.hsm.HsmException;
import net.appstore.hsm.HsmKey;
import net.appstore.hsm.HsmKeyType;
import net.appstore.hsm.HsmSettings;
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.jdbi.v3.core.Jdbi;

/**
 * Does in tests what keytool does in production: generates signing keys in the test token, has the
 * test root certify them, and registers them in the key registry in a chosen state.
 */
public final class SignerKeys {

  private final HsmToken token;
  private final Jdbi jdbi;
  private final TestRootCa root;

  private SignerKeys(HsmToken token, Jdbi jdbi, TestRootCa root) {
    this.token = token;
    this.jdbi = jdbi;
    this.root = root;
  }

  public static SignerKeys open(SoftHsmToken softHsm, Jdbi jdbi, TestRootCa root)
      throws HsmException {
    return new SignerKeys(
        HsmToken.open(new HsmSettings(softHsm.library(), softHsm.label()), softHsm.userPin()),
        jdbi,
        root);
  }

  /** For a token opened elsewhere (the benchmark's). */
  public static SignerKeys open(HsmToken token, Jdbi jdbi, TestRootCa root) {
    return new SignerKeys(token, jdbi, root);
  }

  public TestRootCa root() {
    return root;
  }

  public HsmToken token() {
    return token;
  }

  /** An RS256 key valid from an hour ago for a year, registered in {@code state}. */
  public RegisteredKey create(KeyPurpose purpose, String kid, KeyState state) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return create(
        purpose, kid, state, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
  }

  /** An RS256 key whose certificate and registry window are [notBefore, notAfter). */
  public RegisteredKey create(
      KeyPurpose purpose, String kid, KeyState state, Instant notBefore, Instant notAfter)
      throws Exception {
    HsmKey key =
        token.generateKeyPair(
            kid,
            HsmKeyType.RSA_2048,
            (publicKey, label) -> root.certify(publicKey, label, notBefore, notAfter));
    return register(purpose, kid, kid, key.chain(), state, notBefore, notAfter);
  }

  /**
   * Registers {@code kid} with the HSM label {@code signingLabel} but the certificate of another
   * key: what the signer signs with does not match what verifiers are told (F14).
   */
  public RegisteredKey registerMismatched(
      KeyPurpose purpose, String kid, String signingLabel, String certificateLabel, KeyState state)
      throws Exception {
    HsmKey certified = token.key(certificateLabel);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return register(
        purpose,
        kid,
        signingLabel,
        certified.chain(),
        state,
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(365)));
  }

  /** Generates a key in the HSM only (no registry row). */
  public void generateOnly(String label) throws Exception {
    Instant now = Instant.now();
    token.generateKeyPair(
        label,
        HsmKeyType.RSA_2048,
        (publicKey, l) ->
            root.certify(
                publicKey, l, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365))));
  }

  private RegisteredKey register(
      KeyPurpose purpose,
      String kid,
      String hsmLabel,
      List<X509Certificate> chain,
      KeyState state,
      Instant notBefore,
      Instant notAfter)
      throws CertificateEncodingException {
    List<String> x5c = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      x5c.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
    }
    PublishedKey published =
        new PublishedKey(kid, SigningAlgorithm.RS256, chain.get(0).getPublicKey(), chain);
    RegisteredKey key =
        new RegisteredKey(
            kid,
            purpose,
            "RS256",
            state,
            hsmLabel,
            published.toJwk().toJSONString(),
            x5c,
            notBefore,
            notAfter,
            Instant.now(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    jdbi.useExtension(KeyRegistryDao.class, dao -> dao.insert(key));
    return key;
  }

  /** Moves a key's state (no lifecycle rules: tests set up situations). */
  public void setState(String kid, KeyState state) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE keys.signing_key SET state = :state WHERE kid = :kid")
                .bind("state", state.name())
                .bind("kid", kid)
                .execute());
  }

  /** Ends a key's registry window at {@code notAfter}. */
  public void setNotAfter(String kid, Instant notAfter) {
    jdbi.useExtension(
        KeyRegistryDao.class, dao -> dao.updateNotAfter(kid, java.sql.Timestamp.from(notAfter)));
  }
}
