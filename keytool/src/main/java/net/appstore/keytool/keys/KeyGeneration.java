package net.appstore.keytool.keys;

import static net.appstore.keytool.HumanTime.instant;

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
import net.appstore.hsm.HsmToken;
import net.appstore.keys.KeyEvent;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyRegistryDao;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.KeytoolException;
import net.appstore.keytool.ca.Certificates;
import net.appstore.keytool.ca.RootCa;
import net.appstore.keytool.ca.SigningKeyCertifier;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.keys.PublishedKey;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Generates keys in the HSM and registers them, inside a {@link LockedChange} (which removes the
 * HSM key again if the registration does not commit). Stateless.
 */
public final class KeyGeneration {

  private KeyGeneration() {}

  /** What to generate. */
  public record Request(KeyPurpose purpose, SigningAlgorithm algorithm, Duration validity) {}

  /**
   * A signing key certified by the root, registered as GENERATED.
   *
   * @throws KeytoolException refused when the root cannot cover the validity window
   */
  public static RegisteredKey signingKey(
      KeyRegistryDao dao,
      NewHsmKeys created,
      HsmToken hsm,
      KeytoolContext context,
      Request request,
      String actor,
      Instant now)
      throws KeytoolException, HsmException {
    RootCa root = RootCa.load(dao, hsm, now);
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = notBefore.plus(request.validity());
    if (notAfter.isAfter(root.notAfter())) {
      throw KeytoolException.refused(
          "a key valid until "
              + instant(notAfter)
              + " would outlive the root "
              + root.kid()
              + " (valid until "
              + instant(root.notAfter())
              + "): choose a shorter --validity-days or create a new root first");
    }
    String kid = KeyIds.newKid(request.purpose(), now);
    SigningKeyCertifier certifier =
        root.certifier(kid, request.purpose(), request.algorithm(), notBefore, notAfter);
    HsmKey key =
        hsm.generateKeyPair(
            kid, HsmKeyType.forJwsAlgorithm(request.algorithm().name()), context.wrap(certifier));
    created.add(kid);
    List<X509Certificate> chain =
        certifier.issuedChain().orElseThrow(() -> new IllegalStateException("not certified"));
    RegisteredKey row =
        new RegisteredKey(
            kid,
            request.purpose(),
            request.algorithm().name(),
            KeyState.GENERATED,
            key.label(),
            jwk(kid, request.algorithm(), chain),
            x5c(chain),
            notBefore,
            notAfter,
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    dao.insert(row);
    dao.recordEvent(
        new KeyEvent(
            kid,
            Optional.empty(),
            KeyState.GENERATED,
            now,
            actor,
            false,
            Optional.of(
                "generated in HSM token '"
                    + hsm.settings().tokenLabel()
                    + "', certified by root "
                    + root.kid())));
    return row;
  }

  /**
   * The root: a key generated in the HSM and its self-signed certificate, signed there with the
   * root key itself, registered as the ACTIVE root.
   */
  public static RegisteredKey root(
      KeyRegistryDao dao,
      NewHsmKeys created,
      HsmToken hsm,
      KeytoolContext context,
      SigningAlgorithm algorithm,
      Duration validity,
      X500Name subject,
      String actor)
      throws Exception {
    Instant now = context.now();
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = notBefore.plus(validity);
    String kid = KeyIds.newKid(KeyPurpose.ROOT, now);
    HsmKey key =
        hsm.generateKeyPair(
            kid,
            HsmKeyType.forJwsAlgorithm(algorithm.name()),
            context.wrap(
                (publicKey, label) ->
                    new X509Certificate[] {
                      Certificates.placeholder(publicKey, label, notBefore, notAfter)
                    }));
    created.add(kid);
    X509Certificate certificate =
        Certificates.selfSignedRoot(
            key.publicKey(), key.privateKey(), hsm.provider(), subject, notBefore, notAfter);
    certificate.verify(key.publicKey()); // signed by the key we just generated, and no other
    List<X509Certificate> chain = List.of(certificate);
    RegisteredKey row =
        new RegisteredKey(
            kid,
            KeyPurpose.ROOT,
            algorithm.name(),
            KeyState.ACTIVE,
            key.label(),
            jwk(kid, algorithm, chain),
            x5c(chain),
            notBefore,
            notAfter,
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    dao.insert(row);
    dao.recordEvent(
        new KeyEvent(
            kid,
            Optional.empty(),
            KeyState.ACTIVE,
            now,
            actor,
            false,
            Optional.of(
                "root created in HSM token '"
                    + hsm.settings().tokenLabel()
                    + "', subject "
                    + subject)));
    return row;
  }

  private static String jwk(String kid, SigningAlgorithm algorithm, List<X509Certificate> chain) {
    return new PublishedKey(kid, algorithm, chain.get(0).getPublicKey(), chain)
        .toJwk()
        .toJSONString();
  }

  private static List<String> x5c(List<X509Certificate> chain) throws KeytoolException {
    List<String> encoded = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      try {
        encoded.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw KeytoolException.integrity("cannot encode a certificate: " + e);
      }
    }
    return encoded;
  }
}
