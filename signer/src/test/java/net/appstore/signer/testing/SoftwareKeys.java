package net.appstore.signer.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.jose.SigningKey;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.receipt.verify.VerifierSettings;
import net.appstore.signer.core.ActiveKey;

/**
 * An {@link ActiveKey} backed by a software key, for tests of the signing mechanism that must not
 * depend on an HSM (a hung or failing HSM call is injected around it instead).
 */
public final class SoftwareKeys {

  private SoftwareKeys() {}

  public static ActiveKey activeKey(String kid, String issuer) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = now.minus(Duration.ofHours(1));
    Instant notAfter = now.plus(Duration.ofDays(30));
    X509Certificate[] chain =
        TestRootCa.create().certify(pair.getPublic(), kid, notBefore, notAfter);
    List<String> x5c = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      x5c.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
    }
    PublishedKey published =
        new PublishedKey(kid, SigningAlgorithm.RS256, pair.getPublic(), List.of(chain));
    RegisteredKey registered =
        new RegisteredKey(
            kid,
            KeyPurpose.RECEIPT,
            "RS256",
            KeyState.ACTIVE,
            kid,
            published.toJwk().toJSONString(),
            x5c,
            notBefore,
            notAfter,
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return new ActiveKey(
        registered,
        published,
        new SigningKey(kid, SigningAlgorithm.RS256, pair.getPrivate(), null),
        new VerifierSettings(
            Set.of(issuer), EnumSet.allOf(ReceiptType.class), Duration.ofMinutes(1)),
        Clock.systemUTC());
  }
}
